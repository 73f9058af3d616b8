public import Hummingbird
public import NIOCore

/// The request context of the host's server: Hummingbird's core storage plus what the host
/// needs from the connection (peer address, event loop for timers).
public struct HostRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The connection (its peer address is read only when a handler asks for it).
    public let channel: any Channel

    /// Set on the request a WebSocket upgrader dispatches (the connection's first, with a valid handshake): what lets
    /// a handler open an `IA_STREAM_WEBSOCKET` stream. Nil for every other request.
    var webSocketUpgrade: WebSocketUpgrade?

    /// The connection's event loop (timeouts are scheduled on it).
    public var eventLoop: any EventLoop { channel.eventLoop }

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }
}
