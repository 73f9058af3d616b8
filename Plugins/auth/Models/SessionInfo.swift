import ImageAppPlugin
import PluginSupport

/// A session as its owner sees it in `GET /api/v1/auth/sessions`.
struct SessionInfo: Codable, Sendable, Equatable {
    var id: String
    var userAgent: String
    var ip: String
    var createdAt: String
    var lastSeenAt: String
    var expiresAt: String
    /// Whether this is the session the request came with (set by the route, not stored).
    var current: Bool?

    /// The SELECT/RETURNING list that ``init(_:)`` reads, from `auth_sessions` (unaliased).
    static let columns = """
        id::text AS id, user_agent, ip, \(SQLTimestamp.rfc3339("created_at")) AS created_at,
        \(SQLTimestamp.rfc3339("last_seen_at")) AS last_seen_at, \(SQLTimestamp.rfc3339("expires_at")) AS expires_at
        """

    init?(_ row: Rows.Row) {
        guard let id = row["id"], let createdAt = row["created_at"], let lastSeenAt = row["last_seen_at"],
            let expiresAt = row["expires_at"]
        else { return nil }
        self.id = id
        self.userAgent = row["user_agent"] ?? ""
        self.ip = row["ip"] ?? ""
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
        self.expiresAt = expiresAt
    }
}
