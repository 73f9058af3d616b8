import AuthContract
import Foundation
import ImageAppPlugin
import PluginSupport

extension AuthPlugin {
    /// `POST /api/v1/auth/register`.
    func registerRegistration(_ registrar: PluginRegistrar) throws {
        try registrar.route(
            .post,
            "/api/v1/auth/register",
            summary: "Creates an account and signs it in",
            description: """
                Handles are 3-30 of [A-Za-z0-9_] and unique case-insensitively, emails unique case-insensitively, \
                passwords at least 8 characters and not common. Answers 201 with the user and a session: a bearer \
                token in the body, or (`"session": "cookie"`, the default for browsers) an HTTP-only cookie plus \
                the CSRF token. Sends an email verification link. 409 `handle_taken` / `email_taken`; 422 names \
                each broken rule; 429 after too many sign-ups from one address.
                """,
            tag: "auth",
            requestSchema: AuthSchemas.register(reserved: settings.reservedHandles),
            responseSchema: Self.sessionAnswerSchema,
            successStatus: 201,
            handler: register
        )
    }

    private func register(_ request: Request) throws -> Response {
        struct Input: Decodable {
            var handle: String?
            var email: String?
            var password: String?
            var displayName: String?
            var session: SessionMode?
        }
        let input = try request.decode(Input.self)
        var problems = FieldProblems()
        let handle = problems.required("handle", input.handle)
        let email = problems.required("email", input.email?.trimmingCharacters(in: .whitespaces))
        let password = problems.required("password", input.password)
        if !handle.isEmpty { problems.check("handle", AccountRules.handleProblem(handle, reserved: settings.reservedHandles)) }
        if !email.isEmpty { problems.check("email", AccountRules.emailProblem(email)) }
        if !password.isEmpty { problems.check("password", AccountRules.passwordProblem(password, handle: handle, email: email)) }
        // Checked as the profile's own (PluginSupport's TextRule), as sent; stored in NFC, trimmed, blank as none.
        var displayName: String?
        switch input.displayName.map(TextRule.displayName.check) {
        case .success(let checked)?: displayName = checked.trimmingCharacters(in: .whitespacesAndNewlines)
        case .failure(let problem)?: problems.check("display_name", problem.message)
        case nil: break
        }
        if displayName?.isEmpty == true { displayName = nil }
        try problems.throwIfAny()

        try enforceAddressLimits(settings.signupPerIP, settings.signupPerNetwork, for: request)

        let token = SecretToken.generate()
        let verification = SecretToken.generate()
        let mode = try SessionMode.choose(input.session, for: request)
        let opened = try host.dispatchCommand(
            "auth.register",
            payload: RegisterPayload(
                handle: handle,
                email: email,
                passwordHash: try passwords.hash(password),
                displayName: displayName,
                session: grant(token, for: request),
                verificationTokenHash: verification.hashText
            ),
            as: Opened.self
        )
        metrics.registrations.increment()
        sendVerification(to: opened.account.email, handle: opened.account.handle, token: verification, request: request)
        return try sessionResponse(opened, token: token, mode: mode, status: 201, displayName: displayName)
    }

    /// Mails a verification link. A failure is logged, not answered: the account exists, and the link can be sent
    /// again (`POST /api/v1/auth/email/resend`).
    func sendVerification(to email: String, handle: String, token: SecretToken, request: Request?) {
        let hours = settings.verificationTokenSeconds / 3_600
        let message = MailMessage(
            to: email,
            subject: "Confirm your email address",
            text: """
                Hi @\(handle),

                please confirm your email address by opening this link:

                \(settings.publicURL)/verify-email?token=\(token.text)

                The link works once and expires in \(hours >= 1 ? "\(hours) hours" : "\(settings.verificationTokenSeconds) seconds"). \
                If you did not create this account, ignore this message.
                """
        )
        do {
            try mailer.send(message)
        } catch {
            request?.log(.error, "could not send the verification mail: \(error)")
        }
    }

    /// JSON Schema of ``SessionAnswer``.
    static let sessionAnswerSchema = """
        {"type":"object","required":["user","session"],"properties":{\
        "user":{"type":"object","required":["id","handle","email","role","email_verified","created_at"],"properties":{\
        "id":{"type":"string"},"handle":{"type":"string"},"email":{"type":"string"},\
        "role":{"type":"string","enum":["user","admin"]},"email_verified":{"type":"boolean"},\
        "created_at":{"type":"string","format":"date-time"},"display_name":{"type":["string","null"]}}},\
        "session":\(sessionSchema),\
        "token":{"type":"string","description":"bearer token (token mode only)"},\
        "csrf_token":{"type":"string","description":"send as X-CSRF-Token (cookie mode only)"}}}
        """

    /// JSON Schema of ``SessionInfo``.
    static let sessionSchema = """
        {"type":"object","required":["id","user_agent","ip","created_at","last_seen_at","expires_at"],"properties":{\
        "id":{"type":"string"},"user_agent":{"type":"string"},"ip":{"type":"string"},\
        "created_at":{"type":"string","format":"date-time"},"last_seen_at":{"type":"string","format":"date-time"},\
        "expires_at":{"type":"string","format":"date-time"},"current":{"type":"boolean"}}}
        """
}
