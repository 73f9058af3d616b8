import AuthContract
import ImageAppPlugin
import MediaContract

extension NotificationsPlugin {
    /// The commands: the only code that writes the plugin's tables. Each change records its event per recipient in
    /// `notifications_events` in the same transaction, so that a redelivered event changes nothing.
    func registerCommands(_ registrar: PluginRegistrar) throws {
        try registrar.dataCommand("notifications.add", add)
        try registrar.dataCommand("notifications.retract", retract)
        try registrar.dataCommand("notifications.delete_about", deleteAbout)
        try registrar.dataCommand("notifications.delete_for_user", deleteForUser)
        try registrar.dataCommand("notifications.set_banned", setBanned)
        try registrar.dataCommand("notifications.read", markRead)
        try registrar.dataCommand("notifications.update_settings", updateSettings)
        try registrar.dataCommand("notifications.prune", prune)
    }

    /// ``NewNotifications`` → ``Touched``: for each target not yet handled for this event, unless the actor is
    /// deleted or banned (as far as the ban events handled so far tell), the target is the actor, has the type turned
    /// off, or the subject was deleted, adds the actor to the user's unread notification of that subject (made when
    /// there is none). One statement a target: this runs for every like, follow and comment.
    private func add(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(NewNotifications.self)
        var touched: [Touched.Item] = []
        for target in input.targets where target.userId != input.actorId {
            let row = try command.db.execute(
                """
                WITH claimed AS (
                    INSERT INTO notifications_events (event_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1
                ), allowed AS (
                    SELECT 1 FROM claimed
                    WHERE NOT EXISTS (SELECT 1 FROM notifications_tombstones WHERE kind = 'user' AND subject_id IN ($2, $7))
                      AND NOT EXISTS (SELECT 1 FROM notifications_banned_users WHERE user_id = $7)
                      AND NOT EXISTS (SELECT 1 FROM notification_settings WHERE user_id = $2 AND $3 = ANY (disabled))
                      AND NOT EXISTS (SELECT 1 FROM notifications_tombstones WHERE kind = 'post' AND subject_id = $5)
                      AND NOT EXISTS (SELECT 1 FROM notifications_tombstones WHERE kind = 'comment' AND subject_id = $6)
                ), upserted AS (
                    INSERT INTO notifications (user_id, type, group_key, post_id, comment_id, updated_at)
                    SELECT $2, $3, $4, $5, $6, $8::timestamptz FROM allowed
                    ON CONFLICT (user_id, group_key) WHERE NOT read
                    DO UPDATE SET updated_at = greatest(notifications.updated_at, EXCLUDED.updated_at)
                    RETURNING id
                ), joined AS (
                    INSERT INTO notification_actors (notification_id, actor_id, acted_at)
                    SELECT id, $7, $8::timestamptz FROM upserted
                    ON CONFLICT (notification_id, actor_id) DO UPDATE SET acted_at = greatest(notification_actors.acted_at, EXCLUDED.acted_at)
                )
                SELECT id::text AS id FROM upserted
                """,
                [
                    .text(input.eventId), .int(target.userId.value), .text(target.type.rawValue), .text(target.groupKey),
                    Self.value(target.postId?.value), Self.value(target.commentId?.value), .int(input.actorId.value),
                    .text(input.occurredAt),
                ]
            )
            guard let id = row.first?["id"].flatMap({ Int64($0) }) else { continue }
            touched.append(Touched.Item(userId: target.userId, notificationId: id))
        }
        return try .ok(Touched(items: touched))
    }

    /// ``Retraction`` → ``Touched``: takes the actor out of the recipient's unread notification of the subject, and
    /// deletes it when nobody is left. Read notifications keep their history.
    private func retract(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(Retraction.self)
        let user = input.target.userId.value
        guard try Self.claim(input.eventId, for: user, command.db) else { return try .ok(Touched(items: [])) }
        let removed = try command.db.execute(
            """
            DELETE FROM notification_actors a USING notifications n
            WHERE n.id = a.notification_id AND n.user_id = $1 AND n.group_key = $2 AND NOT n.read AND a.actor_id = $3
            RETURNING n.id::text AS id
            """,
            [.int(user), .text(input.target.groupKey), .int(input.actorId.value)]
        )
        guard let id = removed.first?["id"].flatMap({ Int64($0) }) else { return try .ok(Touched(items: [])) }
        // The notification now shows its newest remaining actor's time; none left, and it goes.
        let kept = try command.db.execute(
            """
            UPDATE notifications SET updated_at = latest.at
            FROM (SELECT max(acted_at) AS at FROM notification_actors WHERE notification_id = $1) latest
            WHERE id = $1 AND latest.at IS NOT NULL RETURNING 1
            """,
            [.int(id)]
        )
        if kept.isEmpty { try command.db.execute("DELETE FROM notifications WHERE id = $1", [.int(id)]) }
        return try .ok(Touched(items: [Touched.Item(userId: input.target.userId, notificationId: kept.isEmpty ? nil : id)]))
    }

    /// ``DeletedSubject`` → ``Touched``: a deleted post's or comment's notifications go (a post's take those about its
    /// comments with them), and it is remembered so that none comes back. `items` lists each recipient who lost an
    /// unread one.
    private func deleteAbout(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(DeletedSubject.self)
        var users: Set<UserID> = []
        for (kind, id) in [("post", input.postId?.value), ("comment", input.commentId?.value)] {
            guard let id else { continue }
            try command.db.execute(
                "INSERT INTO notifications_tombstones (kind, subject_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
                [.text(kind), .int(id)]
            )
            // Two statements, not one with a spliced column name: the SQL stays a constant.
            let sql =
                kind == "post"
                ? "DELETE FROM notifications WHERE post_id = $1 RETURNING user_id::text AS user_id, read::text AS read"
                : "DELETE FROM notifications WHERE comment_id = $1 RETURNING user_id::text AS user_id, read::text AS read"
            for row in try command.db.execute(sql, [.int(id)]) where row["read"] == "false" {
                if let user = row["user_id"].flatMap(UserID.init) { users.insert(user) }
            }
        }
        return try .ok(Touched(items: users.sorted().map { Touched.Item(userId: $0, notificationId: nil) }))
    }

    /// ``UserRef`` → ``DeletedForUser``: a deleted account's notifications go, and it leaves the groups it was in
    /// (those left empty go), up to 1,000 rows of each a call (call again until `done`). It is remembered first, so
    /// that no late event brings it back.
    private func deleteForUser(_ command: CommandContext) throws -> CommandResult {
        let user = try command.decodePayload(UserRef.self).userId.value
        try command.db.execute("INSERT INTO notifications_tombstones (kind, subject_id) VALUES ('user', $1) ON CONFLICT DO NOTHING", [.int(user)])
        let own = try command.db.execute(
            "DELETE FROM notifications WHERE id IN (SELECT id FROM notifications WHERE user_id = $1 LIMIT 1000) RETURNING 1",
            [.int(user)]
        )
        let left = try command.db.execute(
            """
            DELETE FROM notification_actors WHERE (notification_id, actor_id) IN (
                SELECT notification_id, actor_id FROM notification_actors WHERE actor_id = $1 LIMIT 1000)
            RETURNING notification_id::text AS id
            """,
            [.int(user)]
        )
        var users: Set<UserID> = []
        if !left.isEmpty {
            let ids = "{" + left.compactMap { $0["id"] }.joined(separator: ",") + "}"
            let emptied = try command.db.execute(
                """
                DELETE FROM notifications n WHERE n.id = ANY ($1::bigint[])
                    AND NOT EXISTS (SELECT 1 FROM notification_actors a WHERE a.notification_id = n.id)
                RETURNING n.user_id::text AS user_id
                """,
                [.text(ids)]
            )
            users = Set(emptied.compactMap { $0["user_id"].flatMap(UserID.init) })
        }
        let done = own.count < 1_000 && left.count < 1_000
        if done {
            try command.db.execute("DELETE FROM notification_settings WHERE user_id = $1", [.int(user)])
            try command.db.execute("DELETE FROM notifications_banned_users WHERE user_id = $1", [.int(user)])
        }
        return try .ok(DeletedForUser(userIds: users.sorted(), done: done))
    }

    /// ``BanState`` → `{}`: a banned user's notifications are hidden (and not counted) while the ban lasts.
    private func setBanned(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(BanState.self)
        let sql =
            input.banned
            ? "INSERT INTO notifications_banned_users (user_id) VALUES ($1) ON CONFLICT DO NOTHING"
            : "DELETE FROM notifications_banned_users WHERE user_id = $1"
        try command.db.execute(sql, [.int(input.userId.value)])
        return .none
    }

    /// ``ReadInput`` → ``UnreadCount``: marks the listed notifications read, or those at or after `up_to` in the
    /// list's order (its last activity or earlier), or all; answers the new count.
    private func markRead(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(ReadInput.self)
        let user = input.userId.value
        if let ids = input.ids {
            if !ids.isEmpty {
                try command.db.execute(
                    "UPDATE notifications SET read = true WHERE user_id = $1 AND NOT read AND id = ANY ($2::bigint[])",
                    [.int(user), .text("{" + ids.map(String.init).joined(separator: ",") + "}")]
                )
            }
        } else if let upTo = input.upTo {
            let anchor = try command.db.execute(
                "SELECT updated_at::text AS at FROM notifications WHERE id = $1 AND user_id = $2",
                [.int(upTo), .int(user)]
            ).first?["at"]
            if let anchor {
                // Where the list shows it: its last activity, then its id.
                try command.db.execute(
                    "UPDATE notifications SET read = true WHERE user_id = $1 AND NOT read AND (updated_at, id) <= ($2::timestamptz, $3)",
                    [.int(user), .text(anchor), .int(upTo)]
                )
            } else {
                // One that is gone (pruned, deleted) still bounds by its id: ids are time-sortable.
                try command.db.execute(
                    "UPDATE notifications SET read = true WHERE user_id = $1 AND NOT read AND id <= $2",
                    [.int(user), .int(upTo)]
                )
            }
        } else if input.all == true {
            try command.db.execute("UPDATE notifications SET read = true WHERE user_id = $1 AND NOT read", [.int(user)])
        }
        return try .ok(UnreadCount(count: try Self.unreadCount(user, command.db)))
    }

    /// ``SettingsChange`` → ``DisabledTypes``: turns the given types on or off, the others as they were.
    private func updateSettings(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(SettingsChange.self)
        let user = input.userId.value
        var disabled = Set(try Self.disabledTypes(user, command.db, forUpdate: true))
        for (type, on) in input.changes where NotificationType(rawValue: type) != nil {
            if on { disabled.remove(type) } else { disabled.insert(type) }
        }
        let sorted = disabled.sorted()
        try command.db.execute(
            """
            INSERT INTO notification_settings (user_id, disabled) VALUES ($1, $2::text[])
            ON CONFLICT (user_id) DO UPDATE SET disabled = EXCLUDED.disabled
            """,
            [.int(user), .text("{" + sorted.joined(separator: ",") + "}")]
        )
        return try .ok(DisabledTypes(disabled: sorted))
    }

    /// ``PruneInput`` → ``Pruned``: deletes up to `limit` read notifications whose last activity is older than
    /// `keep_days`, and the records of events handled over a week ago (redeliveries come within the stream's life).
    private func prune(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(PruneInput.self)
        let deleted = try command.db.execute(
            """
            DELETE FROM notifications WHERE id IN (
                SELECT id FROM notifications WHERE read AND updated_at < now() - make_interval(days => $1::int) LIMIT $2)
            RETURNING 1
            """,
            [.int(input.keepDays), .int(input.limit)]
        )
        try command.db.execute(
            "DELETE FROM notifications_events WHERE (event_id, user_id) IN (SELECT event_id, user_id FROM notifications_events "
                + "WHERE handled_at < now() - interval '7 days' LIMIT $1)",
            [.int(input.limit)]
        )
        return try .ok(Pruned(deleted: deleted.count))
    }

    /// Records that `event` was handled for `user`; `false` when it was before.
    private static func claim(_ event: String, for user: Int64, _ db: Database) throws -> Bool {
        try !db.execute(
            "INSERT INTO notifications_events (event_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1",
            [.text(event), .int(user)]
        ).isEmpty
    }

    private static func value(_ id: Int64?) -> DatabaseValue {
        id.map(DatabaseValue.int) ?? .null
    }
}
