/// Small JSON shapes that cross the plugin's commands, queries and events.

/// The payload of `user.registered`.
struct UserRegistered: Codable, Sendable {
    var userId: String
    var handle: String
    var displayName: String?

    private enum CodingKeys: String, CodingKey {
        case userId, handle, displayName
    }

    // Written out so that a missing display name reads `"display_name": null`.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(userId, forKey: .userId)
        try container.encode(handle, forKey: .handle)
        try container.encode(displayName, forKey: .displayName)
    }
}

/// The payload of `user.deleted`, `user.banned` and `user.unbanned`.
struct UserEvent: Codable, Sendable {
    var userId: String
    var handle: String
}

/// The payload of `user.role_changed`.
struct RoleChanged: Codable, Sendable {
    var userId: String
    var handle: String
    var role: String
}

/// The public part of an account (`auth.account_by_handle`).
struct PublicAccount: Codable, Sendable {
    var id: String
    var handle: String
    var role: String
    var createdAt: String
    var banned: Bool
}

/// What a login checks (`auth.credentials`).
struct Credentials: Codable, Sendable {
    var userId: String
    var passwordHash: String
    var banned: Bool
}

/// The result of `auth.delete_account`.
struct DeletedAccount: Codable, Sendable {
    var deleted: Bool
    var handle: String
    var tokenHashes: [String]
}

/// The result of `auth.issue_verification`.
struct VerificationIssued: Codable, Sendable {
    var email: String
    var handle: String
    var alreadyVerified: Bool
}
