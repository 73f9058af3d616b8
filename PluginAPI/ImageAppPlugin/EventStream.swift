public import CImageAppPlugin

/// A long-lived response to one client (ABI 1.12), opened by a route handler with ``Request/openStream(_:onClose:)``:
/// server-sent events or a WebSocket that any thread may send on, without blocking, until the stream closes.
///
/// The host queues what you send (a bounded queue per client: one that does not read is disconnected, reason
/// `slow_consumer`), sends a heartbeat (an SSE comment, a WebSocket ping), keeps the connection past the request
/// timeout, and closes
/// the stream on graceful shutdown. Subscribe the stream to channels (``subscribe(_:)``) to receive what any plugin in
/// any process publishes there (``PluginHost/publish(channel:event:data:)``); subscriptions end with the stream.
///
/// A value type around the host's checked handle: copies refer to the same stream, and every call on a stream that
/// has closed reports it (`false` or ``PluginStatus/state``) rather than touching freed memory.
public struct EventStream: @unchecked Sendable {
    // @unchecked: the handle is a checked id, and every stream slot may be called from any thread.
    /// The host's table.
    public let api: UnsafePointer<ia_host_api>
    /// The host's handle (`ia_stream *`).
    public let handle: OpaquePointer

    /// Queues one message: SSE `event: <event>` (omitted when empty) and `data: <data>`; on a WebSocket, `data` alone
    /// as one text frame. Never blocks.
    ///
    /// - Returns: `true` when queued; `false` when the stream has closed, or has just been closed because the client
    ///   fell too far behind.
    @discardableResult
    public func send(event: String = "", data: String) -> Bool {
        guard let send = api.pointee.stream_send else { return false }
        return event.withIAStr { event in data.withIAStr { data in send(handle, event, data) } } == IA_OK
    }

    /// Ends the stream after what is queued; the close callback runs with `reason`. Any thread.
    public func close(reason: String = "closed") {
        _ = reason.withIAStr { api.pointee.stream_close?(handle, $0) }
    }

    /// Delivers every message published on `channel`, by any process, to this stream (once per message).
    ///
    /// - Throws: ``PluginError`` with ``PluginStatus/state`` once the stream has closed, or
    ///   ``PluginStatus/invalidArgument`` for a name that is empty, longer than 200 bytes or has a line break.
    public func subscribe(_ channel: String) throws(PluginError) {
        let status = channel.withIAStr { api.pointee.stream_subscribe?(handle, $0) ?? IA_ERR_UNSUPPORTED }
        guard status == IA_OK else { throw PluginError(status: PluginStatus(rawValue: status), message: "cannot subscribe a stream to '\(channel)'") }
    }

    /// Stops delivering `channel`; `false` when the stream was not subscribed to it (or has closed).
    @discardableResult
    public func unsubscribe(_ channel: String) -> Bool {
        channel.withIAStr { api.pointee.stream_unsubscribe?(handle, $0) } == IA_OK
    }
}

/// What kind of stream ``Request/openStream(_:onClose:)`` opens.
public enum StreamKind: Sendable {
    /// A `text/event-stream` response.
    case serverSentEvents
    /// A WebSocket: the upgrade of a request that asks for one (`Upgrade: websocket`), one text frame per message.
    case webSocket

    var rawValue: Int32 {
        switch self {
        case .serverSentEvents: IA_STREAM_SSE
        case .webSocket: IA_STREAM_WEBSOCKET
        }
    }
}

extension Request {
    /// Whether the client asks to upgrade this request to a WebSocket (`Upgrade: websocket`).
    public var wantsWebSocket: Bool { header("Upgrade")?.lowercased() == "websocket" }

    /// Turns this request's response into a stream (ABI 1.12): server-sent events, or a WebSocket for a request that
    /// asks for one. Return ``Response/stream`` (or any response: its headers are kept, its body ignored) from the
    /// handler afterwards. Authenticate first: for a WebSocket, an error the handler throws instead is what the
    /// client gets, and nothing is upgraded.
    ///
    /// - Parameters:
    ///   - kind: ``StreamKind/serverSentEvents`` unless the request ``wantsWebSocket``.
    ///   - onClose: Runs exactly once when the stream ends, with the reason (`closed` or the reason given to
    ///     ``EventStream/close(reason:)``, `client_gone`, `slow_consumer`, `write_timeout`, `ping_timeout`,
    ///     `shutdown`, or a ``PluginHost/closeChannel(_:reason:)`` reason), on a host thread: keep it short.
    /// - Throws: ``PluginError``: ``PluginStatus/unsupported`` on a host before ABI 1.12, for `HEAD`, or for a
    ///   WebSocket the host cannot upgrade (no handshake, not the connection's first request, an older host);
    ///   ``PluginStatus/unavailable`` while the host shuts down.
    public func openStream(
        _ kind: StreamKind = .serverSentEvents,
        onClose: @escaping @Sendable (String) -> Void = { _ in }
    ) throws(PluginError) -> EventStream {
        guard api.has(\.stream_open), let open = api.pointee.stream_open else {
            throw PluginError(status: .unsupported, message: "streams need plugin ABI 1.12")
        }
        let box = Unmanaged.passRetained(CallbackBox(onClose, api: api))
        var out: OpaquePointer?
        let status = open(
            handle,
            kind.rawValue,
            { userData, _, reason in
                guard let userData else { return }
                let box = Unmanaged<CallbackBox<@Sendable (String) -> Void>>.fromOpaque(userData)
                box.takeUnretainedValue().callback(reason.string)
                box.release()
            },
            box.toOpaque(),
            &out
        )
        guard status == IA_OK, let out else {
            box.release()
            throw PluginError(status: PluginStatus(rawValue: status), message: "cannot open a stream")
        }
        return EventStream(api: api, handle: out)
    }
}

extension Response {
    /// The answer of a handler that opened a stream: 200, with the host's event-stream headers.
    public static var stream: Response { Response(status: 200) }
}

extension PluginHost {
    /// Publishes a message on `channel` to the streams subscribed to it in every process (ABI 1.12). Never blocks (the
    /// host queues it for its publisher thread): callable from any thread, non-blocking handlers included. Nobody
    /// subscribed anywhere costs one Redis `PUBLISH` and no fan-out. At most once, like Redis pub/sub.
    ///
    /// - Throws: ``PluginError``: ``PluginStatus/unsupported`` before ABI 1.12, ``PluginStatus/unavailable`` when the
    ///   host's publish queue is full.
    public func publish(channel: String, event: String = "", data: String) throws(PluginError) {
        guard has(\.channel_publish), let publish = api.pointee.channel_publish else { throw unsupported("Channels", since: 12) }
        let status = channel.withIAStr { channel in event.withIAStr { event in data.withIAStr { publish(handle, channel, event, $0) } } }
        guard status == IA_OK else { throw PluginError(status: PluginStatus(rawValue: status), message: "cannot publish on '\(channel)'") }
    }

    /// Closes every stream subscribed to `channel`, in every process, with `reason` (ABI 1.12). Never blocks.
    public func closeChannel(_ channel: String, reason: String) throws(PluginError) {
        guard has(\.channel_close), let close = api.pointee.channel_close else { throw unsupported("Channels", since: 12) }
        let status = channel.withIAStr { channel in reason.withIAStr { close(handle, channel, $0) } }
        guard status == IA_OK else { throw PluginError(status: PluginStatus(rawValue: status), message: "cannot close '\(channel)'") }
    }
}
