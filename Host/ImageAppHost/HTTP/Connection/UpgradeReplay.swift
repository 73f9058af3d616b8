import NIOCore
import NIOHTTP1

/// Gives back a request that NIO's upgrade handler swallowed: one that asked to upgrade and was not upgraded (refused
/// by the host, or a malformed handshake). The handler replays only the parts that arrive after its decision, so the
/// head (and the end, if it came first) would otherwise never reach the HTTP handlers and the client would wait for
/// an answer that never comes.
///
/// Two handlers share it, on the connection's event loop: ``Recorder`` before the upgrade handler notes what it
/// swallows, ``Injector`` after it (where the HTTP handlers go) hands those parts on, so the request is answered the
/// ordinary way — for a refusal, with the response the host already made (``WebSocketUpgrade``).
final class UpgradeReplay {
    private var head: HTTPRequestHead?
    private var ended = false
    private var done = false

    /// Before the upgrade handler: records the connection's first request when it asks to upgrade.
    final class Recorder: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias InboundOut = HTTPServerRequestPart
        private let replay: UpgradeReplay

        init(_ replay: UpgradeReplay) {
            self.replay = replay
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            if !replay.done {
                switch unwrapInboundIn(data) {
                case .head(let head) where replay.head == nil && head.headers.contains(name: "upgrade"):
                    replay.head = head
                case .end where replay.head != nil:
                    replay.ended = true
                default:
                    break
                }
            }
            context.fireChannelRead(data)
        }
    }

    /// Where the HTTP handlers start: hands on what the upgrade handler swallowed.
    final class Injector: ChannelInboundHandler, RemovableChannelHandler {
        typealias InboundIn = HTTPServerRequestPart
        typealias InboundOut = HTTPServerRequestPart
        private let replay: UpgradeReplay

        init(_ replay: UpgradeReplay) {
            self.replay = replay
        }

        /// Fires the swallowed parts into the handlers after this one, once. Call it when the HTTP handlers are in
        /// place and the upgrade was not made. What arrives after the decision (an end not yet read, a body) the
        /// upgrade handler replays itself.
        func inject(context: ChannelHandlerContext) {
            guard !replay.done else { return }
            replay.done = true
            guard let head = replay.head else { return }
            context.fireChannelRead(wrapInboundOut(.head(head)))
            if replay.ended { context.fireChannelRead(wrapInboundOut(.end(nil))) }
            context.fireChannelReadComplete()
        }
    }
}
