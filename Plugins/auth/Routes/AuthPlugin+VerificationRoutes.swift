import AuthContract
import ImageAppPlugin
import PluginSupport

extension AuthPlugin {
    /// `POST /api/v1/auth/email/verify` and `POST /api/v1/auth/email/resend`.
    func registerVerificationRoutes(_ registrar: PluginRegistrar) throws {
        try registrar.route(
            .post,
            "/api/v1/auth/email/verify",
            summary: "Confirms an email address with a mailed token",
            description: "200 with `email_verified: true`; 400 `invalid_token` for an unknown, expired or used token.",
            tag: "auth",
            requestSchema: AuthSchemas.verifyEmail,
            responseSchema:
                #"{"type":"object","required":["email_verified"],"properties":{"email_verified":{"type":"boolean"},"handle":{"type":"string"}}}"#,
            handler: verifyEmail
        )
        try registrar.route(
            .post,
            "/api/v1/auth/email/resend",
            flags: .requireUser,
            summary: "Mails a new verification link",
            description: "Replaces any earlier link (202). Limited like password resets.",
            tag: "auth",
            responseSchema: #"{"type":"object","required":["message"],"properties":{"message":{"type":"string"}}}"#,
            successStatus: 202,
            handler: resendVerification
        )
    }

    private func verifyEmail(_ request: Request) throws -> Response {
        struct Input: Decodable { var token: String? }
        let input = try request.decode(Input.self)
        let account = try verifyEmail(token: input.token, request: request)
        return try .json(VerifiedAnswer(emailVerified: account.emailVerified, handle: account.handle))
    }

    /// Confirms an email address with a mailed token (the JSON route and the link page share it).
    ///
    /// - Throws: ``HTTPError``: 422 without a token, 400 `invalid_token`, 503.
    func verifyEmail(token text: String?, request: Request) throws -> Account {
        var problems = FieldProblems()
        let text = problems.required("token", text)
        try problems.throwIfAny()
        guard let token = SecretToken.parse(text) else { throw AuthErrors.invalidToken }
        let account = try host.dispatchCommand("auth.verify_email", payload: ["token_hash": token.hashText], as: Account.self)
        accountChanged(account.id.description, request: request)
        return account
    }

    private func resendVerification(_ request: Request) throws -> Response {
        let id = try userID(request)
        try limiter.enforce(settings.resetPerEmail, key: "verify:\(id)")
        let token = SecretToken.generate()
        let issued = try host.dispatchCommand(
            "auth.issue_verification",
            payload: ["user_id": id, "token_hash": token.hashText],
            as: VerificationIssued.self
        )
        if issued.alreadyVerified {
            return try .json(["message": "Your email address is already confirmed."], status: 202)
        }
        sendVerification(to: issued.email, handle: issued.handle, token: token, request: request)
        return try .json(["message": "A new confirmation link is on its way."], status: 202)
    }
}
