import AuthContract

/// Small JSON shapes that cross the plugin's own commands and queries (those other plugins use are in
/// `AuthContract`).

/// What a login checks (`auth.credentials`).
struct Credentials: Codable, Sendable {
    var userId: String
    var passwordHash: String
    var banned: Bool
}

/// The result of `auth.issue_verification`.
struct VerificationIssued: Codable, Sendable {
    var email: String
    var handle: String
    var alreadyVerified: Bool
}

/// The result of a command that opened a session.
struct Opened: Codable, Sendable {
    var account: Account
    var session: SessionInfo
}

/// The result of a command that ended sessions: their hashes, to evict from the caches.
struct EndedSessions: Codable, Sendable {
    var tokenHashes: [String]
    /// Whose they were, when the caller did not know (a password reset).
    var userId: String?
}

/// Where a password reset mail goes.
struct ResetMailTarget: Codable, Sendable {
    var email: String
    var handle: String
}

/// The result of `auth.moderate`.
struct Moderated: Codable, Sendable {
    var account: Account
    var tokenHashes: [String]
}

/// The payload of `auth.register`.
struct RegisterPayload: Codable {
    var handle: String
    var email: String
    var passwordHash: String
    var displayName: String?
    var session: SessionGrant
    var verificationTokenHash: String
}

/// The payload of `auth.create_session`.
struct CreateSessionPayload: Codable {
    var userId: String
    var session: SessionGrant
    /// The password hash the login verified: the session opens only if it is still the account's.
    var verifiedHash: String
    /// A hash with today's parameters, to replace the verified one.
    var newHash: String?
}

/// The payload of `auth.sessions`.
struct SessionsQuery: Encodable {
    var userId: String
    var limit: Int
    /// The id of the last session of the page before.
    var cursor: Int64?
}

/// The payload of `auth.change_password`.
struct ChangePasswordPayload: Encodable {
    var userId: String
    var keepSessionId: String?
    var oldPasswordHash: String
    var passwordHash: String
}

/// The payload of `auth.admin_users`.
struct AdminUsersQuery: Encodable {
    var limit: Int
    /// The id of the last account of the page before.
    var cursor: Int64?
    var q: String?
}

/// The payload of `auth.moderate`.
struct ModeratePayload: Encodable {
    var handle: String
    var action: String
    var reason: String?
}

/// The answer to `POST /api/v1/auth/email/verify`.
struct VerifiedAnswer: Encodable {
    var emailVerified: Bool
    var handle: String
}

/// The body of a registration or login answer.
struct SessionAnswer: Encodable {
    var user: UserView
    var session: SessionInfo
    var token: String?
    var csrfToken: String?
}
