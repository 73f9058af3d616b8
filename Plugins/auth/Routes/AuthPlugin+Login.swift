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
                Answers like registration (200), and sets a long-lived HTTP-only device cookie `ia_device`. A wrong \
                password and an unknown account get the same 401 `invalid_credentials`, in the same time. Limited per \
                client address; a request that returns the account's device cookie is limited by that device's own \
                failures, others per login name and address and per login name from everywhere, with progressively \
                longer lockouts (429 with Retry-After and RateLimit-* headers). A banned account gets 403 \
                `account_banned`.
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
        // Counted before the hash, so parallel guesses cannot all slip under the budgets. A device cookie this server
        // issued for this account (OWASP's "device cookies") is judged by that device's budget alone. Everyone else is
        // an untrusted client of the login name as typed — case-folded, not the account: a handle and its email have
        // separate budgets, and a name no account has is counted exactly like one that has, so neither the answers
        // nor their timing tell a real email from an unknown one or link an email to a handle. Untrusted clients get a
        // small budget per address and a large one from everywhere that, once spent, locks them out for progressively
        // longer; the owner's known devices are never locked by it.
        let device = try credentials.flatMap { try devices.trustedDevice(request, userID: $0.userId) }
        let nameKey = "name:\(AccountRules.limitKey(forLogin: login))"
        let fromHereKey = "\(nameKey)|\(address)"
        if let device {
            try limiter.enforce(settings.loginFailuresPerDevice, key: device.limitKey)
        } else {
            try limiter.enforce(settings.loginFailuresPerAccount, key: fromHereKey)
            try limiter.enforce(settings.loginUntrusted, key: nameKey) { [metrics] _ in
                metrics.loginLockouts.increment()
            }
        }
        guard let credentials else {
            try passwords.verifyDecoy(password)
            throw AuthErrors.invalidCredentials
        }
        guard try passwords.verify(password, against: credentials.passwordHash) else { throw AuthErrors.invalidCredentials }
        guard !credentials.banned else { throw AuthErrors.banned }
        // A success clears the budget of the device or address that proved it knows the password, not the untrusted
        // clients' shared one: the owner signing in must not hand a guesser elsewhere a fresh budget.
        if let device {
            limiter.reset(settings.loginFailuresPerDevice, key: device.limitKey)
        } else {
            limiter.reset(settings.loginFailuresPerAccount, key: fromHereKey)
        }

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
        var response = try sessionResponse(opened, token: token, mode: mode, status: 200)
        // A new device cookie at every login, for browsers and API clients alike (a client that keeps and returns it
        // keeps signing in while its account is under attack).
        response.headers.append(("Set-Cookie", try devices.setCookie(for: credentials.userId)))
        return response
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
