import AuthContract
import ImageAppPlugin
import RealtimeContract

extension RealtimePlugin {
    /// `GET /api/v1/stream`: a WebSocket when the request asks to upgrade, else server-sent events. Authenticated by
    /// `auth`'s middleware (bearer header, session cookie, or `?access_token=`, which `auth` accepts on this route
    /// only) before the host accepts an upgrade: a refused WebSocket gets this route's 401 or 403 as an HTTP response.
    /// Non-blocking: opening a stream is a few host calls.
    func registerStreamRoute(_ registrar: PluginRegistrar) throws {
        try registrar.route(
            .get,
            "/api/v1/stream",
            flags: [.requireUser, .nonblocking],
            summary: "Streams your realtime messages",
            description: "The caller's realtime messages (`notification`, `unread_count`, `feed.post`, `post.counts`), "
                + "each `{\"type\", \"data\"}`: over a WebSocket (upgrade this request: one text frame per message, "
                + "pings every 15 s, close 1001 when the server shuts down, 1008 for a client that does not keep up) "
                + "or as a server-sent event stream (`Accept: text/event-stream`: one `data:` line with the type as "
                + "the SSE `event:`; comments (`:`) are heartbeats). Authenticate with `Authorization: Bearer`, the "
                + "session cookie (browsers; a cross-site `Origin` is refused with 403 `origin_not_allowed`), or "
                + "`?access_token=` for clients that cannot set headers; a refused upgrade is answered like any "
                + "request (401, 403). The stream ends when the session ends (logout, revocation, ban); reconnect "
                + "and refetch what you show. A WebSocket upgrade that is not the first request on its connection "
                + "is answered 426 `websocket_unavailable`.",
            tag: "realtime",
            handler: openStream
        )
    }

    private func openStream(_ request: Request) throws -> Response {
        guard let principal = request.principal else { throw HTTPError.unauthorized() }
        // Cross-site WebSocket hijacking (and its SSE twin): a page elsewhere cannot ride the browser's cookie.
        if request.attribute(AuthAttribute.method) == "cookie", let origin = request.header("Origin"), !originAllowed(origin, request) {
            throw HTTPError(status: 403, code: "origin_not_allowed", message: "This origin may not open a stream with a session cookie.")
        }
        let opened = Result { () throws(PluginError) in try request.openStream(request.wantsWebSocket ? .webSocket : .serverSentEvents) }
        if case .failure(let error) = opened, error.status == .unsupported, request.wantsWebSocket {
            throw HTTPError(
                status: 426,
                code: "websocket_unavailable",
                message: "Open the WebSocket as the first request of a new connection, or use server-sent events."
            )
        }
        let stream = try opened.get()
        // Only the caller's own channels: nothing in the request names one.
        try stream.subscribe(RealtimePush.userChannel(principal.userID))
        if let tokenHash = request.attribute(AuthAttribute.tokenHash) {
            try stream.subscribe(RealtimePush.sessionChannel(tokenHash))
        }
        return .stream
    }

    /// Whether a browser `Origin` is the site itself (same host as the request's `Host`) or listed in
    /// `allowed_origins`. Blocks cross-site pages from opening a stream with the victim's cookie.
    private func originAllowed(_ origin: String, _ request: Request) -> Bool {
        let origin = origin.lowercased()
        if settings.allowedOrigins.contains(origin) { return true }
        guard let host = request.header("Host")?.lowercased() else { return false }
        return origin == "http://\(host)" || origin == "https://\(host)"
    }
}
