import AuthContract
import Foundation
import ImageAppPlugin
import PluginSupport

extension AuthPlugin {
    /// Sends password-reset mails after the answer, one at a time.
    private static let resetMails = DispatchQueue(label: "auth.password-reset-mail")

    /// `POST /api/v1/auth/password/forgot`, `.../reset` and `.../change`.
    func registerPasswordRoutes(_ registrar: PluginRegistrar) throws {
        try registrar.route(
            .post,
            "/api/v1/auth/password/forgot",
            summary: "Mails a password reset link",
            description:
                "Answers 202 with the same body whether or not an account has the email. The link works once and expires (reset_token_ttl_seconds). Limited per email address.",
            tag: "auth",
            requestSchema: AuthSchemas.forgotPassword,
            responseSchema: #"{"type":"object","required":["message"],"properties":{"message":{"type":"string"}}}"#,
            successStatus: 202,
            handler: forgotPassword
        )
        try registrar.route(
            .post,
            "/api/v1/auth/password/reset",
            summary: "Sets a new password with a mailed token",
            description: "Ends every session of the account (204). 400 `invalid_token` for an unknown, expired or used token.",
            tag: "auth",
            requestSchema: AuthSchemas.resetPassword,
            successStatus: 204,
            handler: resetPassword
        )
        try registrar.route(
            .post,
            "/api/v1/auth/password/change",
            flags: .requireUser,
            summary: "Changes your password",
            description: "Needs the current password (403 `invalid_password`); ends every other session (204).",
            tag: "auth",
            requestSchema: AuthSchemas.changePassword,
            successStatus: 204,
            handler: changePassword
        )
    }

    private func forgotPassword(_ request: Request) throws -> Response {
        struct Input: Decodable { var email: String? }
        let input = try request.decode(Input.self)
        var problems = FieldProblems()
        let email = problems.required("email", input.email?.trimmingCharacters(in: .whitespaces))
        if !email.isEmpty { problems.check("email", AccountRules.emailProblem(email)) }
        try problems.throwIfAny()
        try enforceAddressLimits(settings.loginPerIP, settings.loginPerNetwork, for: request)
        try limiter.enforce(settings.resetPerEmail, key: email.lowercased())

        // The lookup, the token and the mail happen after the answer, off the request: whether an account has this
        // address then changes nothing a client can see or time. On a queue of their own: they block (PostgreSQL, the
        // mail server), and blocking work on the global concurrent queues holds one of their few threads (about one
        // per CPU) and delays everything else the process runs there.
        Self.resetMails.async { [self] in
            let token = SecretToken.generate()
            do {
                guard
                    let target = try host.dispatchCommand(
                        "auth.request_password_reset",
                        payload: ["email": email, "token_hash": token.hashText],
                        as: ResetMailTarget?.self
                    )
                else { return }
                // The limit above is keyed by the address as typed, folded by Swift; the account was found by
                // PostgreSQL's `lower()`, which folds some letters differently (`İ`), so variants of one address could
                // each pass it. Counting again by the address as stored bounds the mails one mailbox gets.
                guard limiter.hit(settings.resetPerEmail, key: "account:" + target.email).isAllowed else {
                    host.log(.notice, "password reset mail not sent: that account's reset limit is reached")
                    return
                }
                try mailer.send(resetMail(to: target, token: token))
            } catch {
                host.log(.error, "could not send a password reset mail: \(error)")
            }
        }
        return try .json(["message": "If an account has this email address, a reset link is on its way."], status: 202)
    }

    private func resetMail(to target: ResetMailTarget, token: SecretToken) -> MailMessage {
        let minutes = max(settings.resetTokenSeconds / 60, 1)
        return MailMessage(
            to: target.email,
            subject: "Reset your password",
            text: """
                Hi @\(target.handle),

                someone (hopefully you) asked to reset the password of your account. To choose a new one, open:

                \(settings.publicURL)/reset-password?token=\(token.text)

                The link works once and expires in \(minutes) minutes; resetting signs out every device. If you \
                did not ask for this, ignore this message: your password stays as it is.
                """
        )
    }

    private func resetPassword(_ request: Request) throws -> Response {
        struct Input: Decodable {
            var token: String?
            var password: String?
        }
        let input = try request.decode(Input.self)
        try resetPassword(token: input.token, password: input.password, request: request)
        return clearingCookies(.noContent)
    }

    /// Sets a new password with a mailed token and ends every session (the JSON route and the link page share it).
    ///
    /// - Throws: ``HTTPError``: 422 for a missing or weak password, 400 `invalid_token`, 429, 503.
    func resetPassword(token tokenText: String?, password: String?, request: Request) throws {
        var problems = FieldProblems()
        let tokenText = problems.required("token", tokenText)
        let password = problems.required("password", password)
        if !password.isEmpty { problems.check("password", AccountRules.passwordProblem(password)) }
        try problems.throwIfAny()
        guard let token = SecretToken.parse(tokenText) else { throw AuthErrors.invalidToken }
        // Anonymous and about to spend a password hash: limited per address like logins, and the token is checked
        // before the hash, so random tokens cost a lookup, not a KDF run.
        try enforceAddressLimits(settings.loginPerIP, settings.loginPerNetwork, for: request)
        _ = try host.dispatchQuery(
            "auth.usable_token",
            payload: ["token_hash": token.hashText, "purpose": "reset_password"]
        )
        let ended = try host.dispatchCommand(
            "auth.reset_password",
            payload: ["token_hash": token.hashText, "password_hash": try passwords.hash(password)],
            as: EndedSessions.self
        )
        evictSessions(ended.tokenHashes)
        if let userID = ended.userId { accountChanged(userID, request: request) }
    }

    private func changePassword(_ request: Request) throws -> Response {
        struct Input: Decodable {
            var currentPassword: String?
            var newPassword: String?
        }
        let input = try request.decode(Input.self)
        var problems = FieldProblems()
        let current = problems.required("current_password", input.currentPassword)
        let new = problems.required("new_password", input.newPassword)
        if let principal = request.principal, !new.isEmpty {
            problems.check("new_password", AccountRules.passwordProblem(new, handle: principal.handle))
        }
        try problems.throwIfAny()
        let id = try userID(request)
        try limiter.enforce(settings.passwordChecksPerAccount, key: "uid:\(id)")
        guard let credentials = try host.dispatchQuery("auth.credentials", payload: ["user_id": id], as: Credentials?.self),
            try passwords.verify(current, against: credentials.passwordHash)
        else {
            throw HTTPError(
                status: 403,
                code: "invalid_password",
                message: "The current password is wrong.",
                details: ["current_password": "is wrong"]
            )
        }
        let ended = try host.dispatchCommand(
            "auth.change_password",
            payload: ChangePasswordPayload(
                userId: id,
                keepSessionId: request.attribute(AuthAttribute.sessionID),
                oldPasswordHash: credentials.passwordHash,
                passwordHash: try passwords.hash(new)
            ),
            as: EndedSessions.self
        )
        evictSessions(ended.tokenHashes)
        return .noContent
    }
}
