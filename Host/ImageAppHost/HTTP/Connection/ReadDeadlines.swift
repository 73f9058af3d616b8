import HTTPTypes
import Logging
import Metrics
import NIOCore
import NIOHTTPTypes

/// Deadlines for reading one connection's requests (slowloris protection), in the spirit of
/// Apache's `RequestReadTimeout header=20 body=20,MinRate=1000`:
///
/// - **Header**: from its first byte, a request's header must be complete within
///   `headerTimeout`. (An idle keep-alive connection that sends nothing is Hummingbird's idle
///   timeout's business.)
/// - **Body**: from the end of the header, the body must arrive within `bodyTimeout` plus one
///   second per `bodyMinBytesPerSecond` bytes received so far, so a large upload at a fair rate
///   is never cut, while a trickle is.
///
/// A connection past a deadline is closed and counted in
/// `imageapp_http_read_timeouts_total{phase}`. Also closes the connection after a response that
/// says `Connection: close` (the host's answer before reading an announced body), by shutting
/// only the output side so the answer is not lost to a reset while the client still sends.
///
/// Lives on the channel's event loop; its two handlers share it.
final class ReadDeadlines {
    /// The configured deadlines (`[host]` `header_timeout_seconds`, `body_timeout_seconds`, `body_min_bytes_per_second`).
    struct Limits: Sendable {
        var headerTimeout: Duration
        var bodyTimeout: Duration
        var bodyMinBytesPerSecond: Int
    }

    private enum Phase {
        /// Between requests; `since` is the arrival of the next header's first byte.
        case header(since: NIODeadline?)
        /// Reading a body that began at `since`, `received` bytes so far.
        case body(since: NIODeadline, received: Int)
    }

    private let limits: Limits
    private let logger: Logger
    private var phase = Phase.header(since: nil)
    /// The pending check and when it fires.
    private var timer: (task: Scheduled<Void>, fireAt: NIODeadline)?
    private var context: ChannelHandlerContext?
    private var closeAfterResponse = false

    init(limits: Limits, logger: Logger) {
        self.limits = limits
        self.logger = logger
    }

    private var deadline: NIODeadline? {
        switch phase {
        case .header(let since):
            return since.map { $0 + .nanoseconds(limits.headerTimeout.nanoseconds) }
        case .body(let since, let received):
            let allowance = limits.bodyTimeout.nanoseconds + Int64(received) * 1_000_000_000 / Int64(max(limits.bodyMinBytesPerSecond, 1))
            return since + .nanoseconds(allowance)
        }
    }

    /// Makes sure a check runs by the current deadline. One timer per connection, kept across requests: it is
    /// rescheduled only when the new deadline comes before it, and when it fires it looks at the deadline of the
    /// moment, so a busy keep-alive connection costs a timer every `headerTimeout` or so, not two per request.
    private func arm() {
        guard let context, let deadline else { return }
        if let timer, timer.fireAt <= deadline { return }
        timer?.task.cancel()
        let task = context.eventLoop.assumeIsolatedUnsafeUnchecked().scheduleTask(deadline: deadline) { [self] in
            timer = nil
            guard let due = self.deadline else { return }
            guard NIODeadline.now() >= due else { return arm() }
            let name = if case .header = phase { "header" } else { "body" }
            Counter(label: "imageapp_http_read_timeouts_total", dimensions: [("phase", name)]).increment()
            logger.debug("closing a connection that sends too slowly", metadata: ["phase": "\(name)"])
            context.close(promise: nil)
        }
        timer = (task, deadline)
    }

    /// A complete request header that no part watcher will see yet (a WebSocket upgrade request, held by the upgrader
    /// while the host decides): no deadline until the next header's first byte.
    func headerComplete() {
        phase = .header(since: nil)
    }

    private func disarm() {
        timer?.task.cancel()
        timer = nil
    }

    /// In front of the HTTP parser: notices the first byte of a header.
    final class ByteWatcher: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = ByteBuffer
        typealias InboundOut = ByteBuffer
        private let deadlines: ReadDeadlines

        init(_ deadlines: ReadDeadlines) {
            self.deadlines = deadlines
        }

        func handlerAdded(context: ChannelHandlerContext) {
            deadlines.context = context
        }

        func handlerRemoved(context: ChannelHandlerContext) {
            deadlines.disarm()
            deadlines.context = nil
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if case .header(since: nil) = deadlines.phase {
                deadlines.phase = .header(since: .now())
                deadlines.arm()
            }
            context.fireChannelRead(data)
        }
    }

    /// After the HTTP parser: sees where a header ends and a body grows; closes after `Connection: close`.
    final class PartWatcher: ChannelDuplexHandler, RemovableChannelHandler {
        typealias InboundIn = HTTPRequestPart
        typealias InboundOut = HTTPRequestPart
        typealias OutboundIn = HTTPResponsePart
        typealias OutboundOut = HTTPResponsePart
        private let deadlines: ReadDeadlines

        init(_ deadlines: ReadDeadlines) {
            self.deadlines = deadlines
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head:
                deadlines.phase = .body(since: .now(), received: 0)
                deadlines.arm()
            case .body(let bytes):
                if case .body(let since, let received) = deadlines.phase {
                    deadlines.phase = .body(since: since, received: received + bytes.readableBytes)
                }
            case .end:
                // No deadline until the next header's first byte; a pending check finds none and lapses.
                deadlines.phase = .header(since: nil)
            }
            context.fireChannelRead(data)
        }

        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            switch unwrapOutboundIn(data) {
            case .head(let head):
                if head.status.code >= 200, head.headerFields[.connection]?.lowercased() == "close" { deadlines.closeAfterResponse = true }
                context.write(data, promise: promise)
            case .body:
                context.write(data, promise: promise)
            case .end:
                guard deadlines.closeAfterResponse else { return context.write(data, promise: promise) }
                deadlines.closeAfterResponse = false
                let written = context.writeAndFlush(data)
                written.assumeIsolated().whenComplete { _ in context.close(mode: .output, promise: nil) }
                if let promise { written.cascade(to: promise) }
            }
        }
    }
}

extension Duration {
    /// The duration in whole nanoseconds (saturating).
    fileprivate var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? .max : scaled + attoseconds / 1_000_000_000
    }
}
