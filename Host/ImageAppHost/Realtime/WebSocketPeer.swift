import NIOCore
import NIOWebSocket

/// The WebSocket side of one upgraded connection (`IA_STREAM_WEBSOCKET`): a handler on the channel's event loop after
/// NIO's frame codec, plus the writer loop (``serve(_:peer:channel:)``) that drains the stream's queue.
///
/// Why a handler of our own rather than hummingbird-websocket's: its public server paths answer every refused upgrade
/// with an empty 400 (we answer 401/403 with a reason before upgrading), its frame handler is SPI, and it keeps an
/// actor and several tasks per connection; here a connection costs this object and one suspended task.
///
/// - Client frames: text, binary and continuation frames are ignored (this is a push channel); a ping is answered
///   with a pong; a close is answered with a close and the connection ends; an unmasked frame is a protocol error
///   (1002). Frames over 16 KiB are refused by the decoder (1009).
/// - Server frames: one text frame per message; a ping every heartbeat (``ping()``), and a connection that has not
///   answered the previous one by the next is closed; one close frame when the stream ends (``close(reason:abrupt:)``),
///   with the code for its reason (``closeCode(for:)``).
final class WebSocketPeer: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    /// How long a close handshake may take before the connection is closed anyway.
    static let closeTimeout = TimeAmount.seconds(3)
    /// The largest frame a client may send.
    static let maxFrameSize = 1 << 14

    private let stream: ClientStream
    private var context: ChannelHandlerContext?
    private var closeSent = false
    private var closeReceived = false
    private var pingOutstanding = false

    init(stream: ClientStream) {
        self.stream = stream
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        // RFC 6455 §5.1: a server closes the connection on an unmasked client frame.
        guard frame.maskKey != nil else { return close(code: .protocolError, reason: "unmasked frame", abrupt: true) }
        switch frame.opcode {
        case .ping:
            guard frame.fin else { return close(code: .protocolError, reason: "fragmented ping", abrupt: true) }
            guard !closeSent else { return }
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
        case .pong:
            pingOutstanding = false
        case .connectionClose:
            closeReceived = true
            if closeSent { return context.close(promise: nil) }
            // Echo the client's code (RFC 6455 §5.5.1), then end: the stream stops with what it had queued.
            var data = frame.unmaskedData
            let code = data.readWebSocketErrorCode() ?? .normalClosure
            close(code: code, reason: nil, abrupt: false)
            stream.close(reason: "client_gone", abrupt: true)
        default:
            // Text, binary and continuation frames: nothing to do with them on a push channel.
            break
        }
    }

    // MARK: The host's side (on the event loop)

    /// Writes one message as a text frame; false when the connection cannot take more for now (the writer then waits
    /// for it to drain). Nothing is written after the close frame.
    func send(text: ByteBuffer) -> Bool {
        guard let context, !closeSent else { return true }
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .text, data: text)), promise: nil)
        return context.channel.isWritable
    }

    /// Sends a ping; false when the previous one is still unanswered (the caller closes the stream).
    func ping() -> Bool {
        guard let context, !closeSent else { return true }
        if pingOutstanding { return false }
        pingOutstanding = true
        context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .ping, data: ByteBuffer())), promise: nil)
        return true
    }

    /// Ends the connection for a stream closed with `reason`: the close frame (once), then the TCP connection — at
    /// once when `abrupt` (the client is not reading or is gone), else when the client answers or after
    /// ``closeTimeout``.
    func close(reason: String, abrupt: Bool) {
        close(code: Self.closeCode(for: reason), reason: reason, abrupt: abrupt)
    }

    private func close(code: WebSocketErrorCode, reason: String?, abrupt: Bool) {
        guard let context else { return }
        let channel = context.channel
        guard !closeSent else {
            if abrupt { channel.close(promise: nil) }
            return
        }
        closeSent = true
        var data = ByteBuffer()
        data.write(webSocketErrorCode: code)
        // A control frame carries at most 125 bytes: the code and 123 of the reason.
        if let reason { data.writeBytes(reason.utf8.prefix(123)) }
        let written = context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .connectionClose, data: data)))
        if abrupt || closeReceived {
            written.whenComplete { _ in channel.close(promise: nil) }
            // Not written at once (a full socket): the connection goes anyway.
            if abrupt { channel.close(promise: nil) }
            return
        }
        let timeout = channel.eventLoop.scheduleTask(in: Self.closeTimeout) { channel.close(promise: nil) }
        channel.closeFuture.whenComplete { _ in timeout.cancel() }
    }

    /// The close code for a stream's end: 1001 when the server goes away (shutdown) or the client stopped answering
    /// pings, 1008 for a client that does not keep up (`slow_consumer`, `write_timeout`), 1000 with the reason
    /// otherwise (`closed`, `session_ended`, `banned`, a plugin's reason).
    static func closeCode(for reason: String) -> WebSocketErrorCode {
        switch reason {
        case "shutdown", "ping_timeout": .goingAway
        case "slow_consumer", "write_timeout": .policyViolation
        default: .normalClosure
        }
    }

    // MARK: The writer

    /// Drains `stream` into the connection, one text frame per message, waiting while the connection is unwritable
    /// (NIO's high-water mark) so that a client that does not read holds about that much here and at most the queue's
    /// worth in the stream; then sends the close frame and waits for the connection to end. Runs in the connection's
    /// task: no other task per connection. A write to a connection that went away fails in NIO, whose close ends the
    /// stream (`client_gone`).
    static func serve(_ stream: ClientStream, peer: NIOLoopBound<WebSocketPeer>, channel: any Channel) async {
        while let message = await stream.next() {
            do {
                let writable = try await channel.eventLoop.submit { peer.value.send(text: message) }.get()
                if !writable { try await WritabilityGate.wait(for: channel) }
            } catch {
                stream.close(reason: "client_gone", abrupt: true)
                break
            }
            stream.sentMessage()
        }
        let reason = stream.closeReason ?? "closed"
        channel.eventLoop.execute { peer.value.close(reason: reason, abrupt: false) }
        try? await channel.closeFuture.get()
    }

    /// Closes an upgraded connection for `reason` at once (a slow or silent client); a connection whose upgrade has
    /// not finished yet is simply closed. Any thread.
    static func abort(_ channel: any Channel, reason: String) {
        channel.eventLoop.execute {
            guard let peer = try? channel.pipeline.syncOperations.handler(type: WebSocketPeer.self) else {
                return channel.close(promise: nil)
            }
            peer.close(reason: reason, abrupt: true)
        }
    }
}
