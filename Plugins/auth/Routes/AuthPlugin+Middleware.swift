import AuthContract
import ImageAppPlugin
import PluginCrypto

extension AuthPlugin {
    /// The authentication middleware (order 200, after rate limiting at 100): resolves the session of every request
    /// for every plugin and sets the principal, the attribute `auth.session_id` and `auth.method` (`bearer` or
    /// `cookie`). Also subscribes to the revocation channel that keeps every instance's session cache honest.
    func registerMiddleware(_ registrar: PluginRegistrar) throws {
        // Non-blocking where the host can re-run it on a worker thread (ABI 1.7): a request without credentials or
        // with a session this process has cached is authenticated on the event loop, keeping fast routes fast.
        let flags: MiddlewareFlags = registrar.host.supportsWouldBlock ? .nonblocking : []
        try registrar.middleware(name: "auth.session", order: 200, flags: flags) { request in
            try authenticate(request)
        }
        try registrar.subscribe(channel: sessions.revocationChannel) { [sessions] _, payload in
            sessions.dropLocally([String(decoding: payload, as: UTF8.self)])
        }
        // Eviction after commit, three ways: the route that ended sessions evicts at once; an in-process handler does
        // it for commands another plugin dispatched (account deletion through profiles), right after the commit; and
        // a worker handler repeats it durably in case that process died in between.
        try registrar.eventHandler("evict-ended-sessions-now", events: AuthEvent.sessionsEnded, inProcess: true) { [sessions] event in
            sessions.evict(try event.decodePayload(SessionsEnded.self).tokenHashes)
        }
        try registrar.eventHandler("evict-ended-sessions", events: AuthEvent.sessionsEnded) { [sessions] event in
            sessions.evict(try event.decodePayload(SessionsEnded.self).tokenHashes)
        }
    }

    /// - A bearer token that opens nothing is refused (401 `invalid_token`): the client meant to authenticate.
    /// - A session cookie that opens nothing is ignored: the request goes on anonymous, as after logging out.
    /// - A cookie-authenticated request with an unsafe method needs `X-CSRF-Token` equal to the session's CSRF token
    ///   (403 `csrf_failed`); `SameSite=Lax` alone does not cover same-site attackers or old browsers.
    /// - Cookies are written (slid, or cleared when dead) only on unsafe requests and on routes that need a user: a
    ///   `GET` of a route any caller may see, such as `/media/...` or a public profile, must stay cacheable by shared
    ///   caches (the host also turns a `public` response that sets cookies `private`).
    private func authenticate(_ request: Request) throws -> MiddlewareResult {
        let token: SecretToken?
        let method: String
        // Whether this request may get cookies: a cookie request that changes something or is on a route that needs a
        // user. A route is nil only on a host before ABI 1.9: cookies are then written as before.
        var touchesCookies = false
        if let authorization = request.header("Authorization") {
            guard let credentials = Self.bearerCredentials(authorization) else { return .next }
            guard let parsed = SecretToken.parse(credentials) else { throw AuthErrors.invalidBearer }
            token = parsed
            method = "bearer"
        } else if let cookies = request.header("Cookie"), let value = SessionCookies.value(SessionCookies.session, in: cookies),
            !value.isEmpty
        {
            // The mail-link pages act on their token alone: a signed-in browser posting their form is not
            // authenticating, so it needs no CSRF token (the pages refuse cross-site posts themselves). Decided on the
            // matched route, not the raw path, which the router percent-decodes: `/verify%2Demail` is the same page.
            let route = request.route
            if !request.method.isSafe && isLinkPage(route) { return .next }
            touchesCookies = !request.method.isSafe || (route?.needsUser ?? true)
            token = SecretToken.parse(value)
            method = "cookie"
        } else if request.method == .get, let route = request.route, settings.queryTokenRoutes.contains(route.pattern),
            let credentials = request.query("access_token")
        {
            // Like a bearer header, for the routes that allow it; the host's access log never prints the query.
            guard let parsed = SecretToken.parse(credentials) else { throw AuthErrors.invalidBearer }
            token = parsed
            method = "query"
        } else {
            return .next
        }
        var resolved: ResolvedSession?
        var fromDatabase = false
        if let token {
            switch sessions.localLookup(token.hashText) {
            case .session(let session):
                resolved = session
                metrics.sessionsFromMemory.increment()
            case .unknown: resolved = nil
            case .miss:
                guard request.canBlock else { return .wouldBlock }
                (resolved, fromDatabase) = try resolve(token)
                if resolved != nil { (fromDatabase ? metrics.sessionsFromDatabase : metrics.sessionsFromRedis).increment() }
            }
            if resolved == nil { metrics.unknownTokens.increment() }
        }
        guard let token, let session = resolved, let principal = session.principal else {
            if method != "cookie" { throw AuthErrors.invalidBearer }
            // A dead cookie: tell the browser to stop sending it.
            if touchesCookies {
                for cookie in SessionCookies.clear(secure: settings.cookieSecure) { try? request.addResponseHeader("Set-Cookie", cookie) }
            }
            return .next
        }
        if fromDatabase && touchesCookies {
            // The database just slid the session's expiry: slide the cookies' too, so an active browser keeps them.
            for cookie in SessionCookies.set(token: token, maxAgeSeconds: settings.sessionIdleSeconds, secure: settings.cookieSecure) {
                try? request.addResponseHeader("Set-Cookie", cookie)
            }
        }
        if method == "cookie" && !request.method.isSafe {
            let presented = request.header("X-CSRF-Token") ?? ""
            guard ConstantTime.equals(Array(presented.utf8), Array(token.csrfToken.utf8)) else { throw AuthErrors.csrf }
        }
        try request.setPrincipal(principal)
        try request.setAttribute(AuthAttribute.sessionID, session.sessionId)
        try request.setAttribute(AuthAttribute.method, method)
        try request.setAttribute(AuthAttribute.tokenHash, token.hashText)
        return .next
    }

    /// The session a token opens, from Redis, else PostgreSQL (which also records the use), caching what PostgreSQL
    /// says — including that it opens nothing. Blocks.
    func resolve(_ token: SecretToken) throws(HTTPError) -> (session: ResolvedSession?, fromDatabase: Bool) {
        let hash = token.hashText
        let epoch = host.subscriptionEpoch
        switch sessions.sharedLookup(hash) {
        case .session(let session): return (session, false)
        case .unknown: return (nil, false)
        case .miss: break
        }
        guard
            let session = try host.dispatchCommand(
                "auth.resolve_session",
                payload: ["token_hash": hash],
                as: ResolvedSession?.self
            )
        else {
            sessions.storeUnknown(hash, epoch: epoch)
            return (nil, true)
        }
        sessions.store(hash, session, epoch: epoch)
        return (session, true)
    }

    /// Whether `route` is one of auth's own mail-link pages.
    private func isLinkPage(_ route: MatchedRoute?) -> Bool {
        guard settings.linkPages, let route, route.owner == Self.pluginName else { return false }
        return route.pattern == Self.verifyPagePath || route.pattern == Self.resetPagePath
    }

    /// The credentials of an `Authorization: Bearer <token>` header; `nil` for other schemes, which another plugin
    /// may understand.
    private static func bearerCredentials(_ header: String) -> Substring? {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].drop { $0 == " " }
    }
}
