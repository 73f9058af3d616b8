import CImageAppPlugin

// ABI 1.2: raising events from inside a command (`event_raise`). Handlers are registered with
// PluginRegistrar.eventHandler (PluginRegistrar+Events.swift).

extension CommandContext {
    /// Raises event `type` with `payload` encoded as JSON (snake_case keys, ISO 8601 dates), as part of this command.
    ///
    /// The event is written to the host's outbox **in the command's transaction**: it is delivered if and only if
    /// the command commits. A refusal, an error or a retried attempt rolls it back with everything else, so raising
    /// first and failing afterwards delivers nothing, and a command that runs three times delivers its events once.
    /// After the commit the host hands it to every matching handler of every plugin (see
    /// ``PluginRegistrar/eventHandler(_:events:inProcess:maxAttempts:_:)``); worker handlers get it at least once.
    ///
    /// ```swift
    /// try command.raise("note.created", payload: NoteCreated(id: id, body: input.body))
    /// ```
    ///
    /// - Parameters:
    ///   - type: `"<noun>.<past-tense verb>"`, such as `user.deleted`: 1–200 bytes. Handlers subscribe to it exactly,
    ///     by prefix (`user.*`) or to everything (`*`).
    ///   - payload: The event's data. Put in what handlers need to act without asking back (ids, not whole rows,
    ///     unless the row is gone).
    /// - Throws: ``PluginError`` when the payload cannot be encoded (``PluginStatus/invalidArgument``), this is a
    ///   query or a service command (``PluginStatus/state``), or the host refuses the event or has no events (ABI older than 1.2). Thrown
    ///   out of the handler, it fails the command, which is rolled back.
    public func raise(_ type: String, payload: some Encodable) throws(PluginError) {
        let json: String
        do {
            json = try JSONCoding.encode(payload)
        } catch {
            throw PluginError(
                status: .invalidArgument,
                message: "cannot encode the payload of event '\(type)': \(String(reflecting: error))"
            )
        }
        try raise(type, json: json)
    }

    /// Raises event `type` with a payload that is already JSON text (`{}` by default, not checked); see
    /// ``raise(_:payload:)``.
    public func raise(_ type: String, json: String = "{}") throws(PluginError) {
        guard kind != .query else {
            throw PluginError(
                status: .state,
                message: "cannot raise event '\(type)' from a query; queries run read-only, raise it from a command"
            )
        }
        guard kind != .serviceCommand else {
            throw PluginError(
                status: .state,
                message: "cannot raise event '\(type)' from a service command, which has no transaction; raise it from a "
                    + "data command it dispatches"
            )
        }
        guard host.has(\.event_raise), let eventRaise = api.pointee.event_raise else {
            let (major, minor) = host.abiVersion
            throw PluginError(
                status: .unsupported,
                message: "cannot raise event '\(type)': this host implements plugin ABI \(major).\(minor), "
                    + "and events need 1.2"
            )
        }
        let status = PluginStatus(
            rawValue: type.withIAStr { type in json.withIAStr { json in eventRaise(handle, type, json) } }
        )
        guard status == .ok else {
            throw PluginError(status: status, message: "the host refused event '\(type)': \(status)")
        }
    }
}
