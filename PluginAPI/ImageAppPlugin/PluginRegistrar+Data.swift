import CImageAppPlugin

// ABI 1.1 data services: migrations, commands and queries; ABI 1.13 service commands. Data commands are `dataCommand`
// because `command` is the command-line subcommand (`register_cli_command`) of ABI 1.0.

extension PluginRegistrar {
    /// Registers a migration: SQL that brings this plugin's tables to `version`.
    ///
    /// The host applies pending migrations in version order at start-up (and with `image-app migrate`), each in its
    /// own transaction, and records them per plugin; a failing one is rolled back and stops start-up. A plugin with
    /// migrations needs `host.database_url`. Never edit a migration that has shipped: add the next version.
    ///
    /// - Parameters:
    ///   - version: Greater than 0 and than the version registered before it.
    ///   - name: Short, such as `create_notes`.
    ///   - sql: One or more statements, without `BEGIN`/`COMMIT`.
    /// - Throws: ``PluginRegistrationError`` when the host refuses it (a version out of order, no SQL) or has no
    ///   data services (ABI older than 1.1).
    public func migration(version: Int64, name: String, sql: String) throws(PluginRegistrationError) {
        let label = "\(version) (\(name))"
        guard host.has(\.register_migration) else {
            throw PluginRegistrationError(kind: .migration, name: label, status: .unsupported)
        }
        let status = withIAStrs([name, sql]) { views in
            var migration = ia_migration_def()
            migration.struct_size = PluginABI.structSize(of: ia_migration_def.self)
            migration.version = version
            migration.name = views[0]
            migration.sql = views[1]
            return host.api.pointee.register_migration?(host.handle, &migration) ?? IA_ERR_UNSUPPORTED
        }
        try PluginRegistrationError.check(status, kind: .migration, name: label)
    }

    /// Registers a command: a write that runs in one database transaction, started with
    /// ``PluginHost/dispatchCommand(_:payload:)`` from this or any other plugin.
    ///
    /// The handler runs on the dispatching thread. It reads ``CommandContext/payload`` (or
    /// ``CommandContext/decodePayload(_:)``), uses ``CommandContext/db``, and returns a ``CommandResult``; the
    /// transaction commits only then. What it throws decides the outcome, and rolls the transaction back:
    /// - an ``HTTPError`` is a **refusal** the dispatcher sees as that error (status, code, message and, on hosts since
    ///   ABI 1.6, `details`; `headers` are not carried), such as 409 for a name already taken;
    /// - a ``DatabaseError`` hands its status to the host, which runs the handler again on a serialization failure,
    ///   deadlock or lost connection, and reports anything else as an internal error;
    /// - any other error is logged and reported as internal.
    ///
    /// **The handler may run more than once** (see ``CommandContext/attempt``), so it must have no effects outside
    /// the database.
    ///
    /// - Parameters:
    ///   - name: `"<plugin>.<verb>"`, such as `notes.create`: 1–128 of `a-z 0-9 . - _`, unique across plugins.
    ///   - serializable: Run the transaction at `SERIALIZABLE` isolation (`IA_COMMAND_SERIALIZABLE`).
    ///   - handler: Runs the command; possibly on many threads at once.
    /// - Throws: ``PluginRegistrationError`` when the host refuses it (a taken or invalid name) or has no data
    ///   services (ABI older than 1.1).
    public func dataCommand(
        _ name: String,
        serializable: Bool = false,
        _ handler: @escaping @Sendable (CommandContext) throws -> CommandResult
    ) throws(PluginRegistrationError) {
        let flags = serializable ? UInt32(IA_COMMAND_SERIALIZABLE) : 0
        try registerHandler(name, flags: flags, kind: .dataCommand, slot: \.register_command, handler)
    }

    /// Registers a query: a read that runs outside write transactions (in a read-only one, possibly on a read
    /// replica), started with ``PluginHost/dispatchQuery(_:payload:)``.
    ///
    /// The handler works as for ``dataCommand(_:serializable:_:)``, including refusals by throwing ``HTTPError``;
    /// it must not write.
    ///
    /// - Parameters:
    ///   - name: `"<plugin>.<noun>"`, such as `notes.list`: 1–128 of `a-z 0-9 . - _`, unique across plugins.
    ///   - handler: Runs the query; possibly on many threads at once.
    /// - Throws: ``PluginRegistrationError`` when the host refuses it or has no data services (ABI older than 1.1).
    public func query(
        _ name: String,
        _ handler: @escaping @Sendable (CommandContext) throws -> CommandResult
    ) throws(PluginRegistrationError) {
        try registerHandler(name, flags: 0, kind: .query, slot: \.register_query, handler)
    }

    /// Registers a service command: an in-process call between plugins for work that is not a database write, such as
    /// processing an image, started like any command with ``PluginHost/dispatchCommand(_:payload:)`` (ABI 1.13,
    /// `IA_COMMAND_NO_TRANSACTION`).
    ///
    /// The host runs the handler **once**, on the dispatching thread, **without taking a database connection or
    /// opening a transaction**: slow work holds no pooled connection, and the command works with no database
    /// configured at all. There are no retries, so the idempotency rule of data commands does not apply: the handler
    /// may write files, store blobs and dispatch other commands (each a transaction of its own; put database writes
    /// in a ``dataCommand(_:serializable:_:)`` and dispatch it). The payload, the result and refusals work as for a
    /// data command: a thrown ``HTTPError`` reaches the dispatcher with its status, code, message and `details`.
    /// ``CommandContext/db`` refuses every statement (``PluginStatus/state``), and ``CommandContext/raise(_:payload:)``
    /// throws: raise events from a data command the handler dispatches. ``CommandContext/attempt`` is 1.
    ///
    /// ```swift
    /// try registrar.serviceCommand("thumbnails.render") { command in
    ///     let input = try command.decodePayload(RenderInput.self)
    ///     let image = try render(input)                       // seconds of work, no connection held
    ///     let saved = try command.host.dispatchCommand("thumbnails.record", payload: image.record)  // the write
    ///     return .okJSON(saved ?? "{}")
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - name: `"<plugin>.<verb>"`, such as `media.ingest`: 1–128 of `a-z 0-9 . - _`, unique across plugins.
    ///   - handler: Runs the command; possibly on many threads at once, each a dispatcher's.
    /// - Throws: ``PluginRegistrationError`` when the host refuses it (a taken or invalid name) or is older than
    ///   ABI 1.13, where a service command would run in a transaction.
    public func serviceCommand(
        _ name: String,
        _ handler: @escaping @Sendable (CommandContext) throws -> CommandResult
    ) throws(PluginRegistrationError) {
        // A flag, not a slot: hosts before 1.8 would ignore it and hold a connection for the whole handler.
        guard host.implements(minor: 13) else {
            let (major, minor) = host.abiVersion
            throw PluginRegistrationError(
                kind: .serviceCommand,
                name: name,
                status: .unsupported,
                reason: "service commands need plugin ABI 1.13, and this host implements \(major).\(minor)"
            )
        }
        try registerHandler(name, flags: UInt32(IA_COMMAND_NO_TRANSACTION), kind: .serviceCommand, slot: \.register_command, handler)
    }

    /// Fills an `ia_command_def` with the shared trampoline and calls `register_command` or `register_query`.
    private func registerHandler(
        _ name: String,
        flags: UInt32,
        kind: PluginRegistrationError.Kind,
        slot: KeyPath<ia_host_api, (@convention(c) (OpaquePointer?, UnsafePointer<ia_command_def>?) -> ia_status)?>,
        _ handler: @escaping @Sendable (CommandContext) throws -> CommandResult
    ) throws(PluginRegistrationError) {
        guard host.has(slot), let register = host.api.pointee[keyPath: slot] else {
            throw PluginRegistrationError(kind: kind, name: name, status: .unsupported)
        }
        let box = CallbackBox(DataHandler(name: name, host: host, kind: kind, run: handler), api: host.api)
        let userData = box.retainedForever()
        let status = name.withIAStr { name in
            var definition = ia_command_def()
            definition.struct_size = PluginABI.structSize(of: ia_command_def.self)
            definition.flags = flags
            definition.name = name
            definition.user_data = userData
            definition.run = { userData, commandHandle in
                guard let userData, let commandHandle else { return IA_ERR_INVALID_ARGUMENT }
                let handler = CallbackBox<DataHandler>.from(userData).callback
                let context = CommandContext(host: handler.host, handle: commandHandle, kind: handler.kind)
                do {
                    return context.finish(with: try handler.run(context), name: handler.name)
                } catch {
                    return context.finish(throwing: error, name: handler.name)
                }
            }
            return register(host.handle, &definition)
        }
        // On refusal the box stays allocated: a few bytes, and the plugin is not loaded anyway.
        try PluginRegistrationError.check(status, kind: kind, name: name)
    }
}

/// What a command or query trampoline finds behind `user_data`: the handler, its name for logs, the host (the
/// `ia_command_fn` callback is not passed the `ia_host`), and which kind it is.
private struct DataHandler {
    let name: String
    let host: PluginHost
    let kind: PluginRegistrationError.Kind
    let run: @Sendable (CommandContext) throws -> CommandResult
}
