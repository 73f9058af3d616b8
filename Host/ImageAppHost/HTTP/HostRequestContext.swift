public import Hummingbird
public import NIOCore

/// The request context of the host's server: Hummingbird's core storage plus what the host
/// needs from the connection (peer address, event loop for timers).
public struct HostRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The TCP peer.
    public let remoteAddress: SocketAddress?
    /// The connection's event loop (timeouts are scheduled on it).
    public let eventLoop: any EventLoop

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
        self.eventLoop = source.channel.eventLoop
    }
}
