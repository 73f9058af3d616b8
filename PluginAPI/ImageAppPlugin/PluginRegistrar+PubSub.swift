import CImageAppPlugin

// ABI 1.5 Redis pub/sub: subscribing handlers (`redis_subscribe`). Publish with `host.redis("PUBLISH", ...)`
// (PluginHost+Redis.swift).

extension PluginRegistrar {
    /// Subscribes `handler` to Redis channel `channel`, or to the channels matching a glob pattern when `pattern` is
    /// `true`, for the life of the process.
    ///
    /// Messages arrive on the host's subscriber thread, also after reconnects; messages published while disconnected
    /// are lost, as with any Redis pub/sub. Keep the handler short: the next message waits for it. It may also be
    /// called from `start`'s registrar. Needs `host.redis_url`.
    ///
    /// ```swift
    /// try registrar.subscribe(channel: "myplugin:invalidate") { channel, payload in
    ///     localCache.removeAll()
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - channel: The channel name, or a pattern such as `myplugin:*` when `pattern` is `true`.
    ///   - pattern: Whether `channel` is a pattern (`PSUBSCRIBE`).
    ///   - handler: Gets the message's channel and payload.
    /// - Throws: ``PluginRegistrationError`` when the host refuses it, or has no Redis (ABI older than 1.5:
    ///   ``PluginStatus/unsupported``).
    public func subscribe(
        channel: String,
        pattern: Bool = false,
        _ handler: @escaping @Sendable (String, [UInt8]) -> Void
    ) throws(PluginRegistrationError) {
        guard host.has(\.redis_subscribe), let subscribe = host.api.pointee.redis_subscribe else {
            throw PluginRegistrationError(kind: .subscription, name: channel, status: .unsupported)
        }
        let userData = CallbackBox(handler, api: host.api).retainedForever()
        let status = channel.withIAStr { channelView in
            subscribe(
                host.handle,
                channelView,
                pattern ? 1 : 0,
                { userData, channel, payload in
                    guard let userData else { return }
                    let handler = CallbackBox<@Sendable (String, [UInt8]) -> Void>.from(userData).callback
                    handler(channel.string, payload.bytes)
                },
                userData
            )
        }
        // On refusal the box stays allocated: a few bytes, and the plugin is not loaded anyway.
        try PluginRegistrationError.check(status, kind: .subscription, name: channel)
    }
}
