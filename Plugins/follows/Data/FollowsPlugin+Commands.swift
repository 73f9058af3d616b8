import AuthContract
import FollowsContract
import ImageAppPlugin

extension FollowsPlugin {
    /// The commands: the only code that writes the plugin's tables.
    func registerCommands(_ registrar: PluginRegistrar) throws {
        try registrar.dataCommand("follows.follow", follow)
        try registrar.dataCommand("follows.unfollow", unfollow)
        try registrar.dataCommand("follows.delete_for_user", deleteForUser)
    }

    /// ``FollowChange`` → ``FollowOutcome``: inserts the follow unless it is there; raises `follow.created` when it
    /// inserted. Refusals: 422 `following_limit_reached`, 404 `user_not_found` for a deleted account.
    private func follow(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(FollowChange.self)
        let (follower, followee) = (input.followerId.value, input.followeeId.value)
        let counts = try lockCounts(follower, followee, command.db)
        let gone = try command.db.execute(
            "SELECT 1 FROM follows_deleted_users WHERE user_id = $1 OR user_id = $2",
            [.int(follower), .int(followee)]
        )
        guard gone.isEmpty else { throw HTTPError.notFound("There is no user with this handle.", code: "user_not_found") }
        let exists = try command.db.execute(
            "SELECT 1 FROM follows WHERE follower_id = $1 AND followee_id = $2",
            [.int(follower), .int(followee)]
        )
        guard exists.isEmpty else { return try .ok(FollowOutcome(changed: false, followersCount: counts.followers)) }
        guard counts.following < Int64(input.maxFollowing) else {
            throw HTTPError(
                status: 422,
                code: "following_limit_reached",
                message: "You follow \(input.maxFollowing) accounts, the most allowed. Unfollow some to follow more."
            )
        }
        try command.db.execute("INSERT INTO follows (follower_id, followee_id) VALUES ($1, $2)", [.int(follower), .int(followee)])
        try command.db.execute("UPDATE follow_counts SET following = following + 1 WHERE user_id = $1", [.int(follower)])
        try command.db.execute("UPDATE follow_counts SET followers = followers + 1 WHERE user_id = $1", [.int(followee)])
        try command.raise(FollowsEvent.created, payload: FollowEvent(followerId: input.followerId, followeeId: input.followeeId))
        return try .ok(FollowOutcome(changed: true, followersCount: counts.followers + 1))
    }

    /// ``FollowChange`` → ``FollowOutcome``: deletes the follow if it is there; raises `follow.deleted` when it did.
    private func unfollow(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(FollowChange.self)
        let (follower, followee) = (input.followerId.value, input.followeeId.value)
        let counts = try lockCounts(follower, followee, command.db)
        let deleted = try command.db.execute(
            "DELETE FROM follows WHERE follower_id = $1 AND followee_id = $2 RETURNING 1",
            [.int(follower), .int(followee)]
        )
        guard !deleted.isEmpty else { return try .ok(FollowOutcome(changed: false, followersCount: counts.followers)) }
        try command.db.execute("UPDATE follow_counts SET following = following - 1 WHERE user_id = $1", [.int(follower)])
        try command.db.execute("UPDATE follow_counts SET followers = followers - 1 WHERE user_id = $1", [.int(followee)])
        try command.raise(FollowsEvent.deleted, payload: FollowEvent(followerId: input.followerId, followeeId: input.followeeId))
        return try .ok(FollowOutcome(changed: true, followersCount: counts.followers - 1))
    }

    /// Creates and locks both users' count rows, in id order so that two users following each other at once
    /// cannot deadlock; answers the follower's `following` and the followee's `followers` as they stand.
    private func lockCounts(_ follower: Int64, _ followee: Int64, _ db: Database) throws -> (following: Int64, followers: Int64) {
        let (low, high) = (min(follower, followee), max(follower, followee))
        try db.execute("INSERT INTO follow_counts (user_id) VALUES ($1), ($2) ON CONFLICT DO NOTHING", [.int(low), .int(high)])
        let rows = try db.execute(
            "SELECT user_id::text AS user_id, followers::text AS followers, following::text AS following FROM follow_counts "
                + "WHERE user_id = $1 OR user_id = $2 ORDER BY user_id FOR UPDATE",
            [.int(low), .int(high)]
        )
        func value(_ user: Int64, _ column: String) -> Int64 {
            rows.first { $0["user_id"] == String(user) }?[column].flatMap { Int64($0) } ?? 0
        }
        return (value(follower, "following"), value(followee, "followers"))
    }

    /// ``UserRef`` → ``DeletedFollows``: a deleted account's follows go, both directions, up to 1,000 rows a call (call
    /// again until `done`); the account is remembered as deleted first, so that no follow races back in. The other
    /// side's counts fall with them.
    private func deleteForUser(_ command: CommandContext) throws -> CommandResult {
        let user = try command.decodePayload(UserRef.self).userId.value
        try command.db.execute("INSERT INTO follows_deleted_users (user_id) VALUES ($1) ON CONFLICT DO NOTHING", [.int(user)])
        let others = try command.db.execute(
            """
            WITH gone AS (
                DELETE FROM follows WHERE (follower_id, followee_id) IN (
                    SELECT follower_id, followee_id FROM follows WHERE follower_id = $1 OR followee_id = $1 LIMIT 1000 FOR UPDATE)
                RETURNING follower_id, followee_id
            ), changes AS (
                SELECT CASE WHEN follower_id = $1 THEN followee_id ELSE follower_id END AS other,
                       count(*) FILTER (WHERE follower_id = $1) AS lost_followers,
                       count(*) FILTER (WHERE followee_id = $1) AS lost_following
                FROM gone GROUP BY 1
            )
            UPDATE follow_counts c SET followers = c.followers - changes.lost_followers,
                                       following = c.following - changes.lost_following
            FROM changes WHERE c.user_id = changes.other
            RETURNING c.user_id::text AS user_id
            """,
            [.int(user)]
        )
        let userIds = others.compactMap { $0["user_id"].flatMap { Int64($0) }.map(UserID.init) }
        if userIds.isEmpty { try command.db.execute("DELETE FROM follow_counts WHERE user_id = $1", [.int(user)]) }
        return try .ok(DeletedFollows(userIds: userIds, done: userIds.isEmpty))
    }
}

/// The payload of `follows.follow` and `follows.unfollow`.
struct FollowChange: Codable, Sendable {
    var followerId: UserID
    var followeeId: UserID
    /// The `max_following` setting, checked inside the transaction.
    var maxFollowing: Int
}

/// The result of `follows.follow` and `follows.unfollow`: whether it changed anything, and the followee's count after.
struct FollowOutcome: Codable, Sendable {
    var changed: Bool
    var followersCount: Int64
}

/// The result of `follows.delete_for_user`: the users whose counts fell in this batch.
struct DeletedFollows: Codable, Sendable {
    var userIds: [UserID]
    var done: Bool
}
