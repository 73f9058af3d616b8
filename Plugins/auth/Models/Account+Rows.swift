import AuthContract
import ImageAppPlugin

extension Account {
    /// Reads the columns of ``AuthSQL/accountColumns``; `nil` when one is missing.
    init?(_ row: Rows.Row) {
        guard let idText = row["id"], let id = UserID(idText), let handle = row["handle"], let email = row["email"],
            let role = row["role"], let createdAt = row["created_at"]
        else { return nil }
        self.init(
            id: id,
            handle: handle,
            email: email,
            role: role,
            emailVerified: row["email_verified"] == "t",
            createdAt: createdAt,
            banned: row["banned"] == "t",
            banReason: row["ban_reason"],
            bannedAt: row["banned_at"]
        )
    }
}
