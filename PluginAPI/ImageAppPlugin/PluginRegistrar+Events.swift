import CImageAppPlugin

// ABI 1.2 events: subscribing handlers (`register_event_handler`). Commands raise events with
// CommandContext.raise (CommandContext+Events.swift).

extension PluginRegistrar {
    /// Subscribes `handler` to events of every plugin whose type matches `events`.
    ///
    /// **Worker handlers** (the default) run in processes started with `--role worker` or `--role all`, and need
    /// `host.redis_url`: each handler reads the host's event stream through a Redis consumer group of its own,
    /// `"<plugin>.<name>"`, so across all instances each event goes to one process per handler. Delivery is **at
    /// least once**: the same event may arrive again, so the handler must be idempotent — record ``Event/id`` under
    /// a unique key in the same command as the effect (`INSERT … ON CONFLICT DO NOTHING`).
    ///
    /// **In-process handlers** (`inProcess: true`) run in the process that publishes the event — normally the one
    /// whose command committed it — right after publishing, in any role. They are not retried: for cache refreshes
    /// and pushes that are useless later. Keep them short: they run on the thread that publishes events.
    ///
    /// The handler runs on a host thread that may block and may dispatch commands
    /// (``PluginHost/dispatchCommand(_:payload:)``; capture ``host`` for that); one delivery at a time per handler and
    /// process. Returning means done. A thrown error (its description) goes back to the host as the failure, and the
    /// host delivers the event again with backoff; after `maxAttempts` deliveries it moves it to the dead-letter
    /// stream `<host.events_stream>:dead`. Failures of in-process handlers are only logged.
    ///
    /// ```swift
    /// try registrar.eventHandler("welcome", events: "user.created") { event in
    ///     let user = try event.decodePayload(UserCreated.self)
    ///     _ = try host.dispatchCommand("mailer.send-welcome", payload: Welcome(eventId: event.id, userId: user.id))
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - name: Unique within the plugin, 1–64 of `a-z 0-9 -`; with the plugin's name it names the consumer group.
    ///   - events: An exact type (`user.deleted`), a prefix (`user.*`) or `*` for every event.
    ///   - inProcess: Deliver in the publishing process instead of through a consumer group (`IA_EVENT_IN_PROCESS`).
    ///   - maxAttempts: Deliveries before dead-lettering; `0` for the host's `host.event_max_attempts`.
    ///   - handler: Handles one event.
    /// - Throws: ``PluginRegistrationError`` when the host refuses it (a taken or invalid name, an empty `events`, a
    ///   negative `maxAttempts`) or has no events (ABI older than 1.2).
    public func eventHandler(
        _ name: String,
        events: String,
        inProcess: Bool = false,
        maxAttempts: Int = 0,
        _ handler: @escaping @Sendable (Event) throws -> Void
    ) throws(PluginRegistrationError) {
        guard host.has(\.register_event_handler), let register = host.api.pointee.register_event_handler else {
            throw PluginRegistrationError(kind: .eventHandler, name: name, status: .unsupported)
        }
        guard let maxAttempts = UInt32(exactly: maxAttempts) else {
            throw PluginRegistrationError(kind: .eventHandler, name: name, status: .invalidArgument)
        }
        let userData = CallbackBox(handler, api: host.api).retainedForever()
        let status = withIAStrs([name, events]) { views in
            var definition = ia_event_handler_def()
            definition.struct_size = PluginABI.structSize(of: ia_event_handler_def.self)
            definition.flags = inProcess ? UInt32(IA_EVENT_IN_PROCESS) : 0
            definition.name = views[0]
            definition.event_type = views[1]
            definition.max_attempts = maxAttempts
            definition.user_data = userData
            definition.handle = { userData, eventPointer, errorBuffer in
                guard let userData, let eventPointer else {
                    return ia_error.report(IA_ERR_INVALID_ARGUMENT, "the event handler got no event", into: errorBuffer)
                }
                let handler = CallbackBox<@Sendable (Event) throws -> Void>.from(userData).callback
                do {
                    try handler(Event(PluginABI.sizedCopy(of: eventPointer)))
                    return IA_OK
                } catch {
                    return ia_error.report(error, into: errorBuffer)
                }
            }
            return register(host.handle, &definition)
        }
        // On refusal the box stays allocated: a few bytes, and the plugin is not loaded anyway.
        try PluginRegistrationError.check(status, kind: .eventHandler, name: name)
    }
}
