import AuthContract
import ImageAppPlugin
import RealtimeContract

extension RealtimePlugin {
    /// `GET /api/v1/stream`: authenticated by `auth`'s middleware (bearer header, session cookie, or `?access_token=`,
    /// which `auth` accepts on this route only). Non-blocking: opening a stream is a few host calls.
    func registerStreamRoute(_ registrar: PluginRegistrar) throws {
        try registrar.route(
            .get,
            "/api/v1/stream",
            flags: [.requireUser, .nonblocking],
            summary: "Streams your realtime messages",
            description: "A server-sent event stream (`Accept: text/event-stream`) of the caller's realtime messages, "
                + "each `{\"type\", \"data\"}` in one `data:` line with the type as the SSE `event:`: `notification`, "
                + "`unread_count`, `feed.post`, `post.counts`. Comments (`:`) are heartbeats. Authenticate with "
                + "`Authorization: Bearer`, the session cookie (browsers; a cross-site `Origin` is refused with 403 "
                + "`origin_not_allowed`), or `?access_token=` for clients that cannot set headers. The stream ends "
                + "when the session ends (logout, revocation, ban); reconnect and refetch what you show. WebSocket "
                + "upgrades are answered 426 `websocket_unavailable` by this version.",
            tag: "realtime",
            handler: openStream
        )
    }

    private func openStream(_ request: Request) throws -> Response {
        guard let principal = request.principal else { throw HTTPError.unauthorized() }
        if request.header("Upgrade")?.lowercased() == "websocket" {
            throw HTTPError(status: 426, code: "websocket_unavailable", message: "Use server-sent events: Accept: text/event-stream.")
        }
        if request.attribute(AuthAttribute.method) == "cookie", let origin = request.header("Origin"), !originAllowed(origin, request) {
            throw HTTPError(status: 403, code: "origin_not_allowed", message: "This origin may not open a stream with a session cookie.")
        }
        let stream = try request.openStream()
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
