/// An account as `auth` describes it: `auth.account` (with `email` and `email_verified`) or `auth.account_by_handle`
/// (without them).
struct Account: Decodable, Hashable, Sendable {
    var id: UserID
    var handle: String
    var role: String
    /// RFC 3339, passed on as `auth` wrote it.
    var createdAt: String
    var banned: Bool
    /// Only from `auth.account`.
    var email: String?
    /// Only from `auth.account`.
    var emailVerified: Bool?

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(UserID.self, forKey: .id)
        handle = try container.decode(String.self, forKey: .handle)
        role = try container.decode(String.self, forKey: .role)
        createdAt = try container.decode(String.self, forKey: .createdAt)
        // A missing flag is read as "not banned": bans are enforced by auth's middleware on every route anyway.
        banned = try container.decodeIfPresent(Bool.self, forKey: .banned) ?? false
        email = try container.decodeIfPresent(String.self, forKey: .email)
        emailVerified = try container.decodeIfPresent(Bool.self, forKey: .emailVerified)
    }

    private enum CodingKeys: String, CodingKey {
        case id, handle, role, createdAt, banned, email, emailVerified
    }
}
