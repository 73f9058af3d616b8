import AuthContract
import FollowsContract
import ImageAppPlugin
import PluginSupport

extension FollowsPlugin {
    /// The queries of the contract and the plugin's own reads.
    func registerQueries(_ registrar: PluginRegistrar) throws {
        try registrar.query(FollowsQuery.profileCounts, profileCounts)
        try registrar.query(FollowsQuery.relationship, relationship)
        try registrar.query(FollowsQuery.followerIDs, followerIDs)
        try registrar.query(FollowsQuery.followees, followees)
        try registrar.query("follows.list", list)
    }

    /// ``UserRef`` → `{"followers": n, "following": n}`.
    private func profileCounts(_ query: CommandContext) throws -> CommandResult {
        let user = try query.decodePayload(UserRef.self).userId
        let row = try query.db.execute(
            "SELECT followers::text AS followers, following::text AS following FROM follow_counts WHERE user_id = $1",
            [.int(user.value)]
        ).first
        let followers = row?["followers"].flatMap { Int64($0) } ?? 0
        let following = row?["following"].flatMap { Int64($0) } ?? 0
        return try .ok(["followers": max(0, followers), "following": max(0, following)])
    }

    /// ``RelationshipInput`` → ``Relationship``.
    private func relationship(_ query: CommandContext) throws -> CommandResult {
        let input = try query.decodePayload(RelationshipInput.self)
        let rows = try query.db.execute(
            """
            SELECT EXISTS (SELECT 1 FROM follows WHERE follower_id = $1 AND followee_id = $2)::text AS following,
                   EXISTS (SELECT 1 FROM follows WHERE follower_id = $2 AND followee_id = $1)::text AS followed_by
            """,
            [.int(input.viewerId.value), .int(input.userId.value)]
        )
        let row = rows.first
        return try .ok(Relationship(following: row?["following"] == "true", followedBy: row?["followed_by"] == "true"))
    }

    /// ``FollowersSlice`` → ``FollowerIDs``: ascending ids after `after_id`.
    private func followerIDs(_ query: CommandContext) throws -> CommandResult {
        let input = try query.decodePayload(FollowersSlice.self)
        guard (1...FollowsLimits.followersPerSlice).contains(input.limit) else {
            throw HTTPError.unprocessable(fields: ["limit": "must be from 1 to \(FollowsLimits.followersPerSlice)"])
        }
        let rows = try query.db.execute(
            "SELECT follower_id::text AS id FROM follows WHERE followee_id = $1 AND follower_id > $2 ORDER BY follower_id LIMIT $3",
            [.int(input.userId.value), .int(input.afterId?.value ?? 0), .int(Int64(input.limit))]
        )
        return try .ok(FollowerIDs(userIds: rows.compactMap { $0["id"].flatMap { Int64($0) }.map(UserID.init) }))
    }

    /// ``UserRef`` → ``Followees``: newest follow first, at most `max_following`.
    private func followees(_ query: CommandContext) throws -> CommandResult {
        let user = try query.decodePayload(UserRef.self).userId
        let rows = try query.db.execute(
            """
            SELECT f.followee_id::text AS id, coalesce(c.followers, 0)::text AS followers, \(SQLTimestamp.rfc3339("f.created_at")) AS at
            FROM follows f LEFT JOIN follow_counts c ON c.user_id = f.followee_id
            WHERE f.follower_id = $1 ORDER BY f.created_at DESC, f.followee_id DESC LIMIT $2
            """,
            [.int(user.value), .int(Int64(max(settings.maxFollowing, FollowsLimits.maxFollowing)))]
        )
        let items = rows.compactMap { row -> Followees.Item? in
            guard let id = row["id"].flatMap({ Int64($0) }), let at = row["at"] else { return nil }
            return Followees.Item(userId: UserID(id), followersCount: row["followers"].flatMap { Int64($0) } ?? 0, followedAt: at)
        }
        return try .ok(Followees(items: items))
    }

    /// ``FollowListSlice`` → `{"items": [{"user_id", "time"}]}`: followers or followees, newest follow first, before
    /// the cursor.
    private func list(_ query: CommandContext) throws -> CommandResult {
        let input = try query.decodePayload(FollowListSlice.self)
        // Both statements are written out (not a column name spliced in): the SQL stays a constant.
        // With a viewer ($5), each row also tells whether the viewer follows that user and is followed by them.
        let sql =
            input.followers
            ? """
            SELECT l.user_id::text AS user_id, l.time::text AS time,
                   EXISTS (SELECT 1 FROM follows v WHERE v.follower_id = $5 AND v.followee_id = l.user_id)::text AS following,
                   EXISTS (SELECT 1 FROM follows v WHERE v.follower_id = l.user_id AND v.followee_id = $5)::text AS followed_by
            FROM (
                SELECT follower_id AS user_id, (extract(epoch FROM created_at) * 1000000)::bigint AS time, created_at FROM follows
                WHERE followee_id = $1
                  AND ($2::bigint IS NULL OR (created_at, follower_id) < (to_timestamp($2::double precision / 1000000), $3::bigint))
                ORDER BY created_at DESC, follower_id DESC LIMIT $4
            ) l
            ORDER BY l.created_at DESC, l.user_id DESC
            """
            : """
            SELECT l.user_id::text AS user_id, l.time::text AS time,
                   EXISTS (SELECT 1 FROM follows v WHERE v.follower_id = $5 AND v.followee_id = l.user_id)::text AS following,
                   EXISTS (SELECT 1 FROM follows v WHERE v.follower_id = l.user_id AND v.followee_id = $5)::text AS followed_by
            FROM (
                SELECT followee_id AS user_id, (extract(epoch FROM created_at) * 1000000)::bigint AS time, created_at FROM follows
                WHERE follower_id = $1
                  AND ($2::bigint IS NULL OR (created_at, followee_id) < (to_timestamp($2::double precision / 1000000), $3::bigint))
                ORDER BY created_at DESC, followee_id DESC LIMIT $4
            ) l
            ORDER BY l.created_at DESC, l.user_id DESC
            """
        let rows = try query.db.execute(
            sql,
            [
                .int(input.userId.value), input.beforeTime.map(DatabaseValue.int) ?? .null,
                .int(input.beforeUser ?? .max), .int(Int64(input.limit)), input.viewerId.map { .int($0.value) } ?? .null,
            ]
        )
        let items = rows.compactMap { row -> FollowListItem? in
            guard let user = row["user_id"].flatMap({ Int64($0) }), let time = row["time"].flatMap({ Int64($0) }) else { return nil }
            let relationship = input.viewerId.map { _ in
                Relationship(following: row["following"] == "true", followedBy: row["followed_by"] == "true")
            }
            return FollowListItem(userId: UserID(user), time: time, relationship: relationship)
        }
        return try .ok(FollowList(items: items))
    }
}

/// The payload of `follows.list`.
struct FollowListSlice: Codable, Sendable {
    var userId: UserID
    /// `true` for the user's followers, `false` for whom they follow.
    var followers: Bool
    /// Microseconds since 1970 and the user id of the last item of the page before; `nil` for the first page.
    var beforeTime: Int64?
    var beforeUser: Int64?
    var limit: Int
    /// The signed-in viewer, whose relationship with each user the rows tell; `nil` for none.
    var viewerId: UserID?
}

/// One user of a list, and when the follow began.
struct FollowListItem: Codable, Sendable {
    var userId: UserID
    var time: Int64
    /// The viewer's relationship with this user, when the slice named a viewer.
    var relationship: Relationship?
}

/// The result of `follows.list`.
struct FollowList: Codable, Sendable {
    var items: [FollowListItem]
}
