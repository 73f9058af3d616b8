import AuthContract
import Foundation
import ImageAppPlugin
import PluginSupport

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
            requestSchema: AuthSchemas.login,
            responseSchema: Self.sessionAnswerSchema,
            handler: countedLogin
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

    /// ``login(_:)``, counted by result in `imageapp_auth_logins_total`.
    private func countedLogin(_ request: Request) throws -> Response {
        do {
            let response = try login(request)
            metrics.loginSucceeded.increment()
            return response
        } catch let error as HTTPError {
            switch error.code {
            case AuthErrors.invalidCredentials.code: metrics.loginInvalid.increment()
            case AuthErrors.banned.code: metrics.loginBanned.increment()
            case "rate_limited": metrics.loginLimited.increment()
            default: break
            }
            throw error
        }
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
        if login.unicodeScalars.count > 254 { problems.check("login", "must be at most 254 characters") }
        if AccountRules.hasControlCharacters(login) {
            problems.check("login", "must not contain control characters")
        }
        if password.unicodeScalars.count > 1_024 { problems.check("password", "must be at most 1024 characters") }
        try problems.throwIfAny()
        let mode = try SessionMode.choose(input.session, for: request)

        let address = try enforceAddressLimits(settings.loginPerIP, settings.loginPerNetwork, for: request)

        let credentials = try host.dispatchQuery("auth.credentials", payload: ["login": login], as: Credentials?.self)
        // Attempts are counted per account — by its id, so its handle and its email share one budget — or, for a name
        // no account has, per name, the same way, so the limits reveal nothing. Twice: per account and client
        // address (a small budget; a guesser elsewhere does not lock the owner out), and per account from everywhere
        // (a large one, for distributed guessing). Counted before the hash, so parallel guesses cannot all slip under
        // them; a success clears both.
        let accountKey = credentials.map { "uid:\($0.userId)" } ?? "name:\(login.lowercased())"
        let fromHereKey = "\(accountKey)|\(address)"
        try limiter.enforce(settings.loginFailuresPerAccount, key: fromHereKey)
        try limiter.enforce(settings.loginAttemptsPerAccountTotal, key: accountKey)
        guard let credentials else {
            try passwords.verifyDecoy(password)
            throw AuthErrors.invalidCredentials
        }
        guard try passwords.verify(password, against: credentials.passwordHash) else { throw AuthErrors.invalidCredentials }
        guard !credentials.banned else { throw AuthErrors.banned }
        limiter.reset(settings.loginFailuresPerAccount, key: fromHereKey)
        limiter.reset(settings.loginAttemptsPerAccountTotal, key: accountKey)

        let token = SecretToken.generate()
        let opened = try host.dispatchCommand(
            "auth.create_session",
            payload: CreateSessionPayload(
                userId: credentials.userId,
                session: grant(token, for: request),
                verifiedHash: credentials.passwordHash,
                newHash: passwords.needsRehash(credentials.passwordHash) ? try passwords.hash(password) : nil
            ),
            as: Opened.self
        )
        return try sessionResponse(opened, token: token, mode: mode, status: 200)
    }

    private func logout(_ request: Request) throws -> Response {
        if let sessionID = request.attribute(AuthAttribute.sessionID) {
            let ended = try host.dispatchCommand(
                "auth.end_session",
                payload: ["user_id": try userID(request), "session_id": sessionID],
                as: EndedSessions.self
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
