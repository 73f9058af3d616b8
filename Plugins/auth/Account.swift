import ImageAppPlugin

/// An account as the plugin's queries return it and its routes show it to its owner (and to admins).
struct Account: Codable, Sendable, Equatable {
    var id: String
    var handle: String
    var email: String
    var role: String
    var emailVerified: Bool
    var createdAt: String
    var banned: Bool
    var banReason: String?
    var bannedAt: String?

    /// Reads the columns of ``AuthSQL/accountColumns``.
    init?(_ row: Rows.Row) {
        guard let id = row["id"], let handle = row["handle"], let email = row["email"], let role = row["role"],
              let createdAt = row["created_at"]
        else { return nil }
        self.id = id
        self.handle = handle
        self.email = email
        self.role = role
        self.emailVerified = row["email_verified"] == "t"
        self.createdAt = createdAt
        self.banned = row["banned"] == "t"
        self.banReason = row["ban_reason"]
        self.bannedAt = row["banned_at"]
    }
}
