import CImageAppPlugin
import HTTPTypes
import Hummingbird
import Logging
import Metrics
import NIOCore
import Synchronization

/// The host's HTTP entry point: request IDs, routing, body limits, dispatch, metrics, access log.
struct HostResponder: HTTPResponder {
    typealias Context = HostRequestContext

    let routes: RouteTable<RouteTarget>
    let dispatcher: PluginDispatcher
    let trustedProxies: [CIDR]
    let logger: Logger
    let metrics: HTTPMetrics
    /// The `[host]` multipart settings, for `IA_ROUTE_MULTIPART` routes.
    let multipart: MultipartSettings
    /// Reads plain bodies within the process-wide budget of body bytes in memory.
    let bodyIntake: BodyIntake

    // Inlined into the conformance's thunk: one async frame less on every connection's task (see respondInChildTask).
    @inline(__always)
    func respond(to request: Request, context: HostRequestContext) async throws -> Response {
        // A refused WebSocket upgrade: the upgrader already ran this request; its answer is kept for it.
        if request.headers[.upgrade] != nil, let refusal = WebSocketUpgrade.takeRefusal(for: context.channel) { return refusal }
        if request.headers[.accept]?.contains("text/event-stream") == true { return await respondInChildTask(to: request, context: context) }
        return await respondNow(to: request, context: context)
    }

    /// Answers one request (see ``respond(to:context:)``).
    private func respondNow(to request: Request, context: HostRequestContext) async -> Response {
        let started = ContinuousClock.now
        metrics.started()
        defer { metrics.finished() }
        // A client's X-Request-Id is adopted only from a trusted proxy: anyone else could make two requests share an
        // ID in the logs. Otherwise the host makes one and logs the client's beside it.
        let clientRequestID = request.headers[.xRequestID]
        let adopted = clientRequestID.flatMap(RequestID.accept).flatMap { fromTrustedProxy(context) ? $0 : nil }
        let requestID = adopted ?? RequestID.generate()
        let method = request.method.rawValue
        let path = request.uri.path

        var routeID = HTTPMetrics.unmatched
        var response: Response
        switch routes.match(method: method, path: path) {
        case .notFound:
            response = ErrorResponse.notFound
        case .methodNotAllowed(let allowed):
            response = ErrorResponse.methodNotAllowed(allowed)
        case .found(let entry, let parameters):
            routeID = entry.value.metricsID
            let matched = MatchedRoute(
                pattern: entry.pattern.description,
                flags: entry.value.flags,
                owner: entry.value.owner,
                labels: entry.value.labels
            )
            response = await handle(request, context: context, route: entry.value, matched: matched, parameters: parameters, requestID: requestID)
        }
        response.headers[.xRequestID] = requestID
        CookieCaching.keepPrivate(&response.headers)
        let elapsed = ContinuousClock.now - started
        metrics.record(method: method, route: routeID, status: response.status.code, duration: elapsed)
        // The access log: one line per request at info (quiet it with host.log_level = "warning").
        guard logger.logLevel <= .info else { return response }
        var logger = self.logger
        logger[metadataKey: "request_id"] = .string(requestID)
        if adopted == nil, let clientRequestID { logger[metadataKey: "client_request_id"] = .string(RequestID.loggable(clientRequestID)) }
        logger.info(
            "request",
            metadata: [
                "method": "\(method)", "path": "\(path)", "status": "\(response.status.code)",
                "duration_ms": "\(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)",
            ]
        )
        return response
    }

    /// A request for an event stream runs in a child task. A task keeps the stack slabs it once grew for as long as it
    /// lives, and the connection's task lives as long as the stream: run there, the routing, middleware and dispatch
    /// frames would stay allocated beside every open stream (about 5 KB each); run in a child, they go when the answer
    /// is ready. Not for every request: a child task per request costs about a third of the plugin route's throughput.
    @inline(never)
    private func respondInChildTask(to request: Request, context: HostRequestContext) async -> Response {
        async let response = respondNow(to: request, context: context)
        return await response
    }

    /// Whether the TCP peer is one of `host.trusted_proxies`.
    private func fromTrustedProxy(_ context: HostRequestContext) -> Bool {
        guard !trustedProxies.isEmpty, let peer = context.channel.remoteAddress?.ipAddress else { return false }
        return trustedProxies.contains { $0.contains(peer) }
    }

    private func handle(
        _ request: Request,
        context: HostRequestContext,
        route: RouteTarget,
        matched: MatchedRoute,
        parameters: [String: String],
        requestID: String
    ) async -> Response {
        // A form route reads a form; a form-or-body route (ABI 1.13) only when the request is one, else a plain body.
        let formLimits = route.multipart.flatMap { $0.readsForm(contentType: request.headers[.contentType]) ? $0.limits(multipart) : nil }
        let bodyLimit = route.multipart?.plainBodyBytes ?? route.maxBodyBytes
        // Refuse a declared oversize body before reading it.
        if let length = request.headers[.contentLength].flatMap(Int.init), length > formLimits?.maxTotalBytes ?? bodyLimit {
            var refusal =
                formLimits.map { MultipartFailure.tooLarge(limit: "total_bytes", maximum: $0.maxTotalBytes).response }
                ?? ErrorResponse.payloadTooLarge(limit: bodyLimit)
            BodyIntake.closeAfter(&refusal)
            return refusal
        }
        switch route.kind {
        case .builtin(let handler):
            return await handler(request, context)
        case .plugin(let handler):
            // HTTP/1's Host header arrives as the request's authority; plugins read it as the header it was.
            var headers = request.headers
            if headers[.host] == nil, let authority = request.head.authority { headers[.host] = authority }
            let exchange = Exchange(
                method: request.method.rawValue,
                path: request.uri.path,
                rawQuery: request.uri.query.map { Substring($0) } ?? "",
                headers: headers,
                client: ClientAddress.Source(channel: context.channel, headers: request.headers, trusted: trustedProxies),
                requestID: requestID,
                parameters: parameters,
                route: matched,
                logger: logger,
                webSocketUpgrade: context.webSocketUpgrade
            )
            // A form-or-body route's plain request has no parts: 0 of them, not "not a multipart route".
            if route.multipart != nil, formLimits == nil { exchange.multipart = MultipartBody() }
            // The plugins' handle, closed when the exchange finishes (and at the latest here).
            let handle = RequestHandles.shared.open(exchange)
            exchange.handle = handle
            defer { RequestHandles.shared.close(handle) }
            // (A multipart route reads even an empty body: it must answer 400 for a missing form.)
            let announcesBody = BodyIntake.announcesBody(request.headers)
            guard announcesBody || formLimits != nil else {
                return await dispatcher.dispatch(exchange, route: route, handler: handler, eventLoop: context.eventLoop)
            }
            // Middleware before the body, and the route's user requirement, decide before a byte of the body is read:
            // a refused caller's upload is never taken in.
            if dispatcher.bodyStep > 0, var refusal = await dispatcher.admit(exchange, route: route, handler: handler, eventLoop: context.eventLoop) {
                if announcesBody { BodyIntake.closeAfter(&refusal) }
                return refusal
            }
            BodyIntake.sendContinueIfExpected(request, channel: context.channel)
            var form: MultipartBody?
            // Spooled files go as soon as the host has answered: handler done, timed out or failed.
            defer { form?.removeFiles() }
            if let formLimits {
                // The host reads the form as it streams in; the handler gets its parts, not the body.
                switch await MultipartReader.read(request, limits: formLimits, settings: multipart) {
                case .success(let parts): form = parts
                case .failure(let failure):
                    if case .storage(let reason) = failure { logger.error("cannot spool a multipart part", metadata: ["reason": "\(reason)"]) }
                    return failure.response
                }
                exchange.multipart = form
            } else {
                switch await bodyIntake.read(request, limit: bodyLimit) {
                case .success((let body, let reservation)):
                    exchange.setBody(body)
                    // Counted until the exchange, and the copy it keeps, goes.
                    exchange.bodyReservation = reservation
                case .failure(let refusal): return refusal.response(limit: bodyLimit)
                }
            }
            return await dispatcher.dispatch(exchange, route: route, handler: handler, eventLoop: context.eventLoop, from: dispatcher.bodyStep)
        }
    }
}

extension HTTPField.Name {
    static let xRequestID = HTTPField.Name("X-Request-Id")!
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
    static let host = HTTPField.Name("Host")!
}

/// Request IDs: accepted from a trusted proxy when they look safe, otherwise made here.
enum RequestID {
    /// A client's ID as it may go into a log line: itself when it looks safe, else its first 128 characters with
    /// anything outside printable ASCII replaced by `?` (no line breaks or escapes from a client in the logs).
    static func loggable(_ value: String) -> String {
        if let safe = accept(value) { return safe }
        return String(String.UnicodeScalarView(value.unicodeScalars.prefix(128).map { (0x20..<0x7f).contains($0.value) ? $0 : "?" }))
    }

    /// A client-supplied ID if it is 1-128 characters of `[A-Za-z0-9._-]`.
    static func accept(_ value: String?) -> String? {
        guard let value, !value.isEmpty, value.utf8.count <= 128 else { return nil }
        let ok = value.utf8.allSatisfy {
            ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5a) || ($0 >= 0x61 && $0 <= 0x7a) || $0 == 0x2d || $0 == 0x2e || $0 == 0x5f
        }
        return ok ? value : nil
    }

    /// 16 hex characters: a random per-process prefix and a counter. Unique within the process,
    /// unlikely to repeat across processes, and free of a `getrandom` call per request.
    static func generate() -> String {
        let value = prefix &+ counter.wrappingAdd(1, ordering: .relaxed).oldValue
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }

    private static let prefix = UInt64.random(in: .min ... .max) & 0xFFFF_FFFF_0000_0000
    private static let counter = Atomic<UInt64>(UInt64.random(in: 0..<(1 << 31)))
}

/// The client address the host believes.
enum ClientAddress {
    /// What is needed to work out the client address, kept until a handler asks for it.
    struct Source: @unchecked Sendable {
        // @unchecked: a Channel is Sendable; HTTPFields and [CIDR] are values.
        let channel: any Channel
        let headers: HTTPFields
        let trusted: [CIDR]

        func resolve() -> String {
            ClientAddress.resolve(peer: channel.remoteAddress, forwardedFor: headers[values: .xForwardedFor], trusted: trusted)
        }
    }

    /// The TCP peer, unless it is a trusted proxy: then the right-most `X-Forwarded-For` hop that
    /// is not itself a trusted proxy (the left part of the header is client-controlled).
    static func resolve(peer: SocketAddress?, forwardedFor: [String], trusted: [CIDR]) -> String {
        let peerIP = peer?.ipAddress ?? "unknown"
        guard !trusted.isEmpty, trusted.contains(where: { $0.contains(peerIP) }) else { return peerIP }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { String($0.trimmingWhitespace()) }
        for hop in hops.reversed() {
            guard CIDR.bytes(of: hop) != nil else { return peerIP }
            if !trusted.contains(where: { $0.contains(hop) }) { return hop }
        }
        return hops.first.flatMap { CIDR.bytes(of: $0) != nil ? $0 : nil } ?? peerIP
    }
}
