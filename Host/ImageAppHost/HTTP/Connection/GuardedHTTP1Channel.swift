import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1

/// Hummingbird's HTTP/1.1 child channel with read deadlines (``ReadDeadlines``) around its parser:
/// a client that trickles its header or body is cut off instead of holding a connection forever.
///
/// The pipeline is Hummingbird's own `HTTP1Channel` one (which offers handlers only after the
/// parser, where the bytes of an unfinished header are invisible) with two watchers added: one in
/// front of the parser that sees raw bytes, one after it that sees request and response parts.
struct GuardedHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    typealias Value = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    let responder: HTTPChannelHandler.Responder
    let limits: ReadDeadlines.Limits
    /// Keep-alive connections idle this long are closed (Hummingbird's idle handler).
    let idleTimeout: Duration

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        channel.eventLoop.makeCompletedFuture {
            let deadlines = ReadDeadlines(limits: limits, logger: logger)
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(WritabilityGate())
            try pipeline.addHandler(ReadDeadlines.ByteWatcher(deadlines))
            try pipeline.configureHTTPServerPipeline(
                withPipeliningAssistance: false,
                withErrorHandling: false,
                withOutboundHeaderValidation: false,
                withEncoderConfiguration: .init(),
                withDecoderLimitConfiguration: .init()
            )
            try pipeline.addHandler(HTTP1ToHTTPServerCodec(secure: false))
            try pipeline.addHandler(ReadDeadlines.PartWatcher(deadlines))
            try pipeline.addHandler(HTTPConnectionStateHandler(idleTimeout: idleTimeout, logger: logger))
            return try NIOAsyncChannel(wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
        }
    }

    func handle(value asyncChannel: Value, logger: Logger) async {
        await handleHTTP(asyncChannel: asyncChannel, logger: logger)
    }
}

extension HTTPServerBuilder {
    /// HTTP/1.1 with header and body read deadlines.
    static func guardedHTTP1(limits: ReadDeadlines.Limits, idleTimeout: Duration) -> HTTPServerBuilder {
        HTTPServerBuilder { responder in
            GuardedHTTP1Channel(responder: responder, limits: limits, idleTimeout: idleTimeout)
        }
    }
}
