import ImageAppPlugin

extension AuthPlugin {
    /// What opening a session needs from the request: the token's hash, the user agent and the client's address.
    func grant(_ token: SecretToken, for request: Request) -> SessionGrant {
        SessionGrant(tokenHash: token.hashText, userAgent: request.header("User-Agent") ?? "", ip: request.peer)
    }

    /// The answer to a registration or login: the user, the session, and the token in the body (token mode) or in
    /// cookies with the CSRF token in the body (cookie mode).
    func sessionResponse(_ opened: Opened, token: SecretToken, mode: SessionMode, status: Int, displayName: String? = nil) throws -> Response {
        var response = try Response.json(
            SessionAnswer(
                user: UserView(opened.account, displayName: displayName),
                session: opened.session,
                token: mode == .token ? token.text : nil,
                csrfToken: mode == .cookie ? token.csrfToken : nil
            ),
            status: status
        )
        response.headers.append(("Cache-Control", "no-store"))
        if mode == .cookie {
            for cookie in SessionCookies.set(token: token, maxAgeSeconds: settings.sessionIdleSeconds, secure: settings.cookieSecure) {
                response.headers.append(("Set-Cookie", cookie))
            }
        }
        return response
    }

    /// Removes ended sessions from the caches of every instance, after the command that ended them committed.
    func evictSessions(_ hashes: [String]) {
        sessions.evict(hashes)
    }

    /// Drops what any plugin cached about an account under the shared cache tag `user:<id>` (docs/PLUGINS.md §20),
    /// after a command changed it. A failure leaves those entries to expire on their own; it is logged.
    func accountChanged(_ userID: String, request: Request) {
        do {
            try host.cacheInvalidate(tag: "user:\(userID)")
        } catch {
            request.log(.warning, "could not invalidate the cache tag of user \(userID): \(error)")
        }
    }

    /// The principal's user id as text; the route's `.requireUser` flag guarantees there is one.
    func userID(_ request: Request) throws -> String {
        guard let principal = request.principal else { throw HTTPError.unauthorized() }
        return String(principal.userID)
    }
}
