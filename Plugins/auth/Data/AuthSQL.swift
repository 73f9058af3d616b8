import AuthContract
import PluginSupport

/// SQL fragments shared by the plugin's statements.
enum AuthSQL {
    /// The columns of an ``Account``, from `auth_users` aliased `u`.
    static let accountColumns = """
        u.id::text AS id, u.handle, u.email, u.role, u.email_verified_at IS NOT NULL AS email_verified,
        \(SQLTimestamp.rfc3339("u.created_at")) AS created_at, u.banned_at IS NOT NULL AS banned, u.ban_reason,
        \(SQLTimestamp.rfc3339("u.banned_at")) AS banned_at
        """
}
