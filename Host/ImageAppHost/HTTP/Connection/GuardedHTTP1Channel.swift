import HTTPTypes
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
import NIOWebSocket

/// Hummingbird's HTTP/1.1 child channel with read deadlines (``ReadDeadlines``) around its parser, and WebSocket
/// upgrades decided by the host's own responder.
///
/// The pipeline is Hummingbird's HTTP/1 one (which offers handlers only after the parser, where the bytes of an
/// unfinished header are invisible) with two watchers added: one in front of the parser that sees raw bytes, one after
/// it that sees request and response parts. In between sits NIO's upgrade handler with a WebSocket upgrader, as in
/// hummingbird-websocket's `HTTP1WebSocketUpgradeChannel`, but the upgrader hands the request to the same
/// ``HostResponder`` as any other (``WebSocketUpgrade``): authentication and the plugin's handler decide before
/// anything is accepted, and a refusal is that request's ordinary response (401, 403, ...), not an empty 400. An
/// upgraded connection drops the read deadlines and the idle timeout and is served by ``WebSocketPeer``.
struct GuardedHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    /// What the connection became.
    enum Negotiated: Sendable {
        /// HTTP/1.1 (a refused upgrade's answer waits in ``WebSocketUpgrade``).
        case http(NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>)
        case webSocket(ClientStream, NIOLoopBound<WebSocketPeer>)
    }

    struct Value: ServerChildChannelValue {
        let negotiated: EventLoopFuture<Negotiated>
        let channel: any Channel
    }

    let responder: HTTPChannelHandler.Responder
    let limits: ReadDeadlines.Limits
    /// Keep-alive connections idle this long are closed (Hummingbird's idle handler).
    let idleTimeout: Duration
    /// Answers upgrade requests before they are accepted.
    let upgrades: HostResponder

    /// Receive buffers start at 1 KiB rather than NIO's 2 KiB: a connection keeps its last one for the next read, and
    /// most requests and every idle stream need less; a large body grows them as it arrives.
    static let receiveBuffers = AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 1024, maximum: 65536)

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let deadlines = NIOLoopBound(ReadDeadlines(limits: limits, logger: logger), eventLoop: channel.eventLoop)
            let byteWatcher = ReadDeadlines.ByteWatcher(deadlines.value)
            let attempt = WebSocketUpgrade()
            let replay = NIOLoopBound(UpgradeReplay(), eventLoop: channel.eventLoop)
            let recorder = NIOLoopBound(UpgradeReplay.Recorder(replay.value), eventLoop: channel.eventLoop)
            let pipeline = channel.pipeline.syncOperations
            try channel.syncOptions?.setOption(.recvAllocator, value: Self.receiveBuffers)
            try pipeline.addHandler(WritabilityGate())
            try pipeline.addHandler(byteWatcher)
            let upgrader = NIOTypedWebSocketServerUpgrader<Negotiated>(
                maxFrameSize: WebSocketPeer.maxFrameSize,
                shouldUpgrade: { [upgrades] channel, head in
                    // The header is complete; the deadline for the next one starts with its first byte.
                    deadlines.value.headerComplete()
                    return upgrades.decideUpgrade(head, channel: channel, attempt: attempt, logger: logger)
                },
                upgradePipelineHandler: { [byteWatcher = NIOLoopBound(byteWatcher, eventLoop: channel.eventLoop)] channel, _ in
                    channel.eventLoop.makeCompletedFuture {
                        guard let stream = attempt.takeAccepted() else { throw ChannelError.inappropriateOperationForState }
                        let pipeline = channel.pipeline.syncOperations
                        pipeline.removeHandler(byteWatcher.value, promise: nil)
                        pipeline.removeHandler(recorder.value, promise: nil)
                        let peer = WebSocketPeer(stream: stream)
                        try pipeline.addHandler(peer)
                        stream.startHeartbeat()
                        return .webSocket(stream, NIOLoopBound(peer, eventLoop: channel.eventLoop))
                    }
                }
            )
            let upgrade = NIOTypedHTTPServerUpgradeConfiguration<Negotiated>(
                upgraders: [upgrader],
                notUpgradingCompletionHandler: { [idleTimeout] channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        pipeline.removeHandler(recorder.value, promise: nil)
                        let injector = UpgradeReplay.Injector(replay.value)
                        try pipeline.addHandler(injector)
                        try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
                        try pipeline.addHandler(ReadDeadlines.PartWatcher(deadlines.value))
                        try pipeline.addHandler(HTTPConnectionStateHandler(idleTimeout: idleTimeout, logger: logger))
                        let http = try NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>(
                            wrappingChannelSynchronously: channel,
                            configuration: .init(isOutboundHalfClosureEnabled: true)
                        )
                        // A request that asked to upgrade: the upgrade handler swallowed it; it is answered here.
                        injector.inject(context: try pipeline.context(handler: injector))
                        pipeline.removeHandler(injector, promise: nil)
                        return .http(http)
                    }
                }
            )
            var configuration = NIOUpgradableHTTPServerPipelineConfiguration(upgradeConfiguration: upgrade)
            configuration.enablePipelining = false  // NIOAsyncChannel reads one request at a time
            configuration.enableErrorHandling = false  // Hummingbird answers parse errors
            configuration.enableResponseHeaderValidation = false  // HTTPTypes validated them
            let negotiated = try pipeline.configureUpgradableHTTPServerPipeline(configuration: configuration)
            let upgradeHandler = try pipeline.handler(type: NIOTypedHTTPServerUpgradeHandler<Negotiated>.self)
            try pipeline.addHandler(recorder.value, position: .before(upgradeHandler))
            return Value(negotiated: negotiated, channel: channel)
        }
    }

    // Inlined into the conformance's thunk: the connection's task keeps every frame it once held (see HostResponder).
    @inline(__always)
    func handle(value: Value, logger: Logger) async {
        do {
            switch try await value.negotiated.get() {
            case .http(let http):
                await handleHTTP(asyncChannel: http, logger: logger)
            case .webSocket(let stream, let peer):
                await WebSocketPeer.serve(stream, peer: peer, channel: value.channel)
            }
        } catch {
            logger.debug("connection ended before its first request was answered", metadata: ["error": "\(error)"])
            value.channel.close(promise: nil)
        }
    }
}

extension HostResponder {
    /// Runs a WebSocket upgrade request through the host like any request, with a context that lets the handler open
    /// a WebSocket stream: the upgrade goes ahead (with the response's headers) when it did, otherwise the response is
    /// kept as the refusal and nil tells NIO not to upgrade. A request with a body never upgrades.
    fileprivate func decideUpgrade(
        _ head: HTTPRequestHead,
        channel: any Channel,
        attempt: WebSocketUpgrade,
        logger: Logger
    ) -> EventLoopFuture<HTTPHeaders?> {
        guard head.method == .GET, !head.headers.contains(name: "content-length"), !head.headers.contains(name: "transfer-encoding") else {
            return channel.eventLoop.makeSucceededFuture(nil)
        }
        let promise = channel.eventLoop.makePromise(of: HTTPHeaders?.self)
        promise.completeWithTask {
            let request = Request(head: try HTTPRequest(head, secure: false, splitCookie: false), body: RequestBody(buffer: ByteBuffer()))
            var context = HostRequestContext(source: ApplicationRequestContextSource(channel: channel, logger: logger))
            context.webSocketUpgrade = attempt
            let response = try await respond(to: request, context: context)
            guard response.status == .switchingProtocols, attempt.isAccepted else {
                WebSocketUpgrade.refuse(response, on: channel)
                return nil
            }
            var headers = HTTPHeaders()
            for field in response.headers where field.name != .contentLength {
                headers.add(name: field.name.rawName, value: field.value)
            }
            return headers
        }
        return promise.futureResult
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with header and body read deadlines, and WebSocket upgrades that `responder` decides.
    static func guardedHTTP1(limits: ReadDeadlines.Limits, idleTimeout: Duration, upgrades responder: HostResponder) -> HTTPServerBuilder {
        HTTPServerBuilder { serve in
            GuardedHTTP1Channel(responder: serve, limits: limits, idleTimeout: idleTimeout, upgrades: responder)
        }
    }
}
