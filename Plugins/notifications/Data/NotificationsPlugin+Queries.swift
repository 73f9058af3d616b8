import AuthContract
import CommentsContract
import ImageAppPlugin
import MediaContract
import PluginSupport

extension NotificationsPlugin {
    /// The plugin's own reads.
    func registerQueries(_ registrar: PluginRegistrar) throws {
        try registrar.query("notifications.page", page)
        try registrar.query("notifications.changes", changes)
        try registrar.query("notifications.unread_count", unreadCount)
        try registrar.query("notifications.settings", disabled)
    }

    /// ``NotificationSlice`` → ``NotificationRows``: newest activity first, before the cursor, of the given types.
    private func page(_ query: CommandContext) throws -> CommandResult {
        let input = try query.decodePayload(NotificationSlice.self)
        let types = input.types.map { "{" + $0.map(\.rawValue).joined(separator: ",") + "}" }
        let rows = try query.db.execute(
            Self.rowsSQL(
                where: """
                    ($2::text[] IS NULL OR n.type = ANY ($2::text[]))
                      AND ($3::bigint IS NULL OR (
                          -- A bound the index serves, then the exact key (microseconds, as the cursor has them).
                          n.updated_at < to_timestamp($3::double precision / 1000000) + interval '1 millisecond'
                          AND ((extract(epoch FROM n.updated_at) * 1000000)::bigint, n.id) < ($3::bigint, $4::bigint)))
                    ORDER BY n.updated_at DESC, n.id DESC LIMIT $5
                    """
            ),
            [
                .int(input.userId.value), types.map(DatabaseValue.text) ?? .null, input.beforeTime.map(DatabaseValue.int) ?? .null,
                .int(input.beforeId ?? .max), .int(Int64(input.limit)),
            ]
        )
        return try .ok(NotificationRows(items: rows.compactMap(Self.row)))
    }

    /// ``NotificationIDs`` → ``NotificationChanges``: those of the user's notifications, newest activity first, and the
    /// user's unread count — what a push needs, in one query.
    private func changes(_ query: CommandContext) throws -> CommandResult {
        let input = try query.decodePayload(NotificationIDs.self)
        var items: [NotificationRow] = []
        if !input.ids.isEmpty {
            items = try query.db.execute(
                Self.rowsSQL(where: "n.id = ANY ($2::bigint[]) ORDER BY n.updated_at DESC, n.id DESC"),
                [.int(input.userId.value), .text("{" + input.ids.map(String.init).joined(separator: ",") + "}")]
            ).compactMap(Self.row)
        }
        return try .ok(NotificationChanges(items: items, unreadCount: try Self.unreadCount(input.userId.value, query.db)))
    }

    /// ``UserRef`` → ``UnreadCount``.
    private func unreadCount(_ query: CommandContext) throws -> CommandResult {
        let user = try query.decodePayload(UserRef.self).userId
        return try .ok(UnreadCount(count: try Self.unreadCount(user.value, query.db)))
    }

    /// ``UserRef`` → ``DisabledTypes``.
    private func disabled(_ query: CommandContext) throws -> CommandResult {
        let user = try query.decodePayload(UserRef.self).userId
        return try .ok(DisabledTypes(disabled: try Self.disabledTypes(user.value, query.db, forUpdate: false)))
    }

    /// The user's unread notifications that someone not banned is behind.
    static func unreadCount(_ user: Int64, _ db: Database) throws -> Int64 {
        let rows = try db.execute(
            """
            SELECT count(*)::text AS n FROM notifications n WHERE n.user_id = $1 AND NOT n.read AND EXISTS (
                SELECT 1 FROM notification_actors x WHERE x.notification_id = n.id
                    AND NOT EXISTS (SELECT 1 FROM notifications_banned_users b WHERE b.user_id = x.actor_id))
            """,
            [.int(user)]
        )
        return rows.first?["n"].flatMap { Int64($0) } ?? 0
    }

    /// The types `user` turned off.
    static func disabledTypes(_ user: Int64, _ db: Database, forUpdate: Bool) throws -> [String] {
        let sql =
            forUpdate
            ? "SELECT array_to_string(disabled, ',') AS types FROM notification_settings WHERE user_id = $1 FOR UPDATE"
            : "SELECT array_to_string(disabled, ',') AS types FROM notification_settings WHERE user_id = $1"
        let text = try db.execute(sql, [.int(user)]).first?["types"] ?? ""
        return text.split(separator: ",").map(String.init)
    }

    /// The notifications of user `$1` matching `condition` (a constant written here, never input), each with its
    /// visible actors: the count, and the newest five ids.
    private static func rowsSQL(where condition: String) -> String {
        """
        SELECT n.id::text AS id, n.type, n.post_id::text AS post_id, n.comment_id::text AS comment_id, n.read::text AS read,
               (extract(epoch FROM n.updated_at) * 1000000)::bigint::text AS time,
               \(SQLTimestamp.rfc3339("n.updated_at")) AS at,
               a.count::text AS actor_count, array_to_string(a.ids, ',') AS actor_ids
        FROM notifications n
        CROSS JOIN LATERAL (
            SELECT count(*) AS count, (array_agg(x.actor_id ORDER BY x.acted_at DESC, x.actor_id DESC))[1:5] AS ids
            FROM notification_actors x
            WHERE x.notification_id = n.id AND NOT EXISTS (SELECT 1 FROM notifications_banned_users b WHERE b.user_id = x.actor_id)
        ) a
        WHERE n.user_id = $1 AND a.count > 0 AND \(condition)
        """
    }

    private static func row(_ row: Rows.Row) -> NotificationRow? {
        guard let id = row["id"].flatMap({ Int64($0) }), let type = row["type"].flatMap(NotificationType.init(rawValue:)),
            let time = row["time"].flatMap({ Int64($0) }), let at = row["at"]
        else { return nil }
        return NotificationRow(
            id: id,
            type: type,
            postId: row["post_id"].flatMap { PostID($0) },
            commentId: row["comment_id"].flatMap { CommentID($0) },
            read: row["read"] == "true",
            time: time,
            at: at,
            actorCount: row["actor_count"].flatMap { Int64($0) } ?? 0,
            actorIds: (row["actor_ids"] ?? "").split(separator: ",").compactMap(UserID.init)
        )
    }
}
