import Foundation
import ImageAppPlugin

extension AuthPlugin {
    /// `POST /api/v1/auth/login` and `POST /api/v1/auth/logout`.
    func registerLogin(_ registrar: PluginRegistrar) throws {
        try registrar.route(
            .post,
            "/api/v1/auth/login",
            summary: "Signs in with a handle or email and a password",
            description: """
                Answers like registration (200). A wrong password and an unknown account get the same 401 \
                `invalid_credentials`, in the same time. Limited per client address and per login name (429 with \
                Retry-After and RateLimit-* headers); a successful login clears the name's failures. A banned \
                account gets 403 `account_banned`.
                """,
            tag: "auth",
            requestSchema: """
                {"type":"object","required":["login","password"],"properties":{\
                "login":{"type":"string","description":"handle or email"},"password":{"type":"string"},\
                "session":{"type":"string","enum":["cookie","token"]}}}
                """,
            responseSchema: Self.sessionAnswerSchema,
            handler: login
        )
        try registrar.route(
            .post,
            "/api/v1/auth/logout",
            flags: .requireUser,
            summary: "Ends the current session",
            description: "Ends the session the request came with and clears the session cookies. 204.",
            tag: "auth",
            successStatus: 204,
            handler: logout
        )
    }

    private func login(_ request: Request) throws -> Response {
        struct Input: Decodable {
            var login: String?
            var password: String?
            var session: SessionMode?
        }
        let input = try request.decode(Input.self)
        var problems = FieldProblems()
        let login = problems.required("login", input.login?.trimmingCharacters(in: .whitespaces))
        let password = problems.required("password", input.password)
        if login.utf8.count > 254 { problems.check("login", "must be at most 254 characters") }
        if password.utf8.count > 1_024 { problems.check("password", "must be at most 1024 bytes") }
        try problems.throwIfAny()
        let mode = try SessionMode.choose(input.session, for: request)

        let perAddress = limiter.hit(settings.loginPerIP, key: ClientAddress.limitKey(request.peer))
        guard perAddress.isAllowed else { throw perAddress.error }
        // Failures are counted per login name whether or not an account has it, so the limit reveals nothing.
        let accountKey = login.lowercased()
        let failures = limiter.peek(settings.loginFailuresPerAccount, key: accountKey)
        guard failures.count < settings.loginFailuresPerAccount.limit else { throw failures.error }

        guard let credentials = try host.dispatchQuery("auth.credentials", payload: ["login": login], as: Credentials?.self)
        else {
            passwords.verifyDecoy(password)
            _ = limiter.hit(settings.loginFailuresPerAccount, key: accountKey)
            throw AuthErrors.invalidCredentials
        }
        guard passwords.verify(password, against: credentials.passwordHash) else {
            _ = limiter.hit(settings.loginFailuresPerAccount, key: accountKey)
            throw AuthErrors.invalidCredentials
        }
        guard !credentials.banned else { throw AuthErrors.banned }
        limiter.reset(settings.loginFailuresPerAccount, key: accountKey)

        let token = SecretToken.generate()
        var rehash: [String: String]?
        if passwords.needsRehash(credentials.passwordHash) {
            rehash = ["old": credentials.passwordHash, "new": try passwords.hash(password)]
        }
        let opened = try host.dispatchCommand(
            "auth.create_session",
            payload: CreateSessionPayload(userId: credentials.userId, session: grant(token, for: request), rehash: rehash),
            as: Opened.self
        )
        return try sessionResponse(opened, token: token, mode: mode, status: 200)
    }

    private func logout(_ request: Request) throws -> Response {
        if let sessionID = request.attribute("auth.session_id") {
            let ended = try host.dispatchCommand(
                "auth.end_session", payload: ["user_id": try userID(request), "session_id": sessionID], as: EndedSessions.self
            )
            evictSessions(ended.tokenHashes)
        }
        return clearingCookies(.noContent)
    }

    /// `response` with `Set-Cookie` headers that remove the session cookies.
    func clearingCookies(_ response: Response) -> Response {
        var response = response
        for cookie in SessionCookies.clear(secure: settings.cookieSecure) {
            response.headers.append(("Set-Cookie", cookie))
        }
        return response
    }
}
