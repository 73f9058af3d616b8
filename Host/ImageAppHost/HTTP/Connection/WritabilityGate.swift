import NIOCore

/// Lets a response body producer wait until the connection can take more (`FileResponse`).
///
/// Hummingbird's body writer suspends only once the channel has reported itself unwritable; a
/// producer faster than the event loop (a file read on another thread) can queue much of a file
/// before that report arrives. Waiting here after each chunk, on the event loop, orders the check
/// behind the writes already handed over, so a client that stops reading holds one chunk, not the
/// file.
final class WritabilityGate: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    private var waiters: [EventLoopPromise<Void>] = []

    /// Succeeds once `channel` is writable (at once if it is), or when it closes. On the event loop.
    private func writable(_ channel: any Channel) -> EventLoopFuture<Void> {
        if channel.isWritable || !channel.isActive { return channel.eventLoop.makeSucceededVoidFuture() }
        let promise = channel.eventLoop.makePromise(of: Void.self)
        waiters.append(promise)
        return promise.futureResult
    }

    /// Waits until `channel` can take more, or has closed; returns at once on a channel without a gate.
    static func wait(for channel: any Channel) async throws {
        try await channel.eventLoop.flatSubmit {
            guard let gate = try? channel.pipeline.syncOperations.handler(type: WritabilityGate.self) else {
                return channel.eventLoop.makeSucceededVoidFuture()
            }
            return gate.writable(channel)
        }.get()
    }

    private func release() {
        let waiting = waiters
        waiters = []
        for waiter in waiting { waiter.succeed() }
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if context.channel.isWritable { release() }
        context.fireChannelWritabilityChanged()
    }

    func channelInactive(context: ChannelHandlerContext) {
        release()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        release()
    }
}
