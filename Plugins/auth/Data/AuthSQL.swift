import AuthContract

/// SQL fragments shared by the plugin's statements.
enum AuthSQL {
    /// A timestamp as RFC 3339 in UTC with milliseconds (docs/API.md: timestamps are RFC 3339 in UTC).
    static func rfc3339(_ column: String) -> String {
        "to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')"
    }

    /// The columns of an ``Account``, from `auth_users` aliased `u`.
    static let accountColumns = """
        u.id::text AS id, u.handle, u.email, u.role, u.email_verified_at IS NOT NULL AS email_verified,
        \(rfc3339("u.created_at")) AS created_at, u.banned_at IS NOT NULL AS banned, u.ban_reason,
        \(rfc3339("u.banned_at")) AS banned_at
        """
}
