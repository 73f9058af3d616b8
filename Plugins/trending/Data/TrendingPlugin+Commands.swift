import ImageAppPlugin

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension TrendingPlugin {
    /// The commands: the only code that writes the plugin's tables. Each is idempotent, for events that arrive more
    /// than once.
    func registerCommands(_ registrar: PluginRegistrar) throws {
        try registrar.dataCommand("trending.record_post", recordPost)
        try registrar.dataCommand("trending.delete_post", deletePost)
        try registrar.dataCommand("trending.record_engagement", recordEngagement)
        try registrar.dataCommand("trending.remove_engagement", removeEngagement)
        try registrar.dataCommand("trending.set_user", setUser)
        try registrar.dataCommand("trending.prune", prune)
    }

    /// ``TrackedPost`` → `{}`: a published or edited post and its hashtags (an edit replaces them; the uses keep
    /// the post's time). Nothing for a post already deleted.
    private func recordPost(_ command: CommandContext) throws -> CommandResult {
        let post = try command.decodePayload(TrackedPost.self)
        let tags = String(decoding: try JSONEncoder().encode(post.tags), as: UTF8.self)
        let parameters: [DatabaseValue] = [.int(post.postId), .int(post.authorId), .text(post.createdAt), .text(tags)]
        try command.db.execute(
            "INSERT INTO trending_posts (post_id, author_id, created_at) VALUES ($1, $2, $3::timestamptz) ON CONFLICT DO NOTHING",
            Array(parameters.prefix(3))
        )
        try command.db.execute(
            """
            DELETE FROM trending_tag_uses WHERE post_id = $1
              AND (tag <> ALL (ARRAY(SELECT jsonb_array_elements_text($2::jsonb)))
                   OR EXISTS (SELECT 1 FROM trending_posts WHERE post_id = $1 AND deleted))
            """,
            [parameters[0], parameters[3]]
        )
        try command.db.execute(
            """
            INSERT INTO trending_tag_uses (tag, post_id, user_id, created_at)
            SELECT t, $1::bigint, $2::bigint, $3::timestamptz FROM jsonb_array_elements_text($4::jsonb) t
            WHERE NOT EXISTS (SELECT 1 FROM trending_posts WHERE post_id = $1::bigint AND deleted)
            ON CONFLICT DO NOTHING
            """,
            parameters
        )
        return try .ok([String: String]())
    }

    /// ``TrackedPost`` → `{}`: a deleted post becomes a tombstone; its engagements and hashtag uses go.
    private func deletePost(_ command: CommandContext) throws -> CommandResult {
        let post = try command.decodePayload(TrackedPost.self)
        try command.db.execute(
            """
            INSERT INTO trending_posts (post_id, author_id, created_at, deleted) VALUES ($1, $2, $3::timestamptz, true)
            ON CONFLICT (post_id) DO UPDATE SET deleted = true
            """,
            [.int(post.postId), .int(post.authorId), .text(post.createdAt)]
        )
        try command.db.execute("DELETE FROM trending_engagements WHERE post_id = $1", [.int(post.postId)])
        try command.db.execute("DELETE FROM trending_tag_uses WHERE post_id = $1", [.int(post.postId)])
        return try .ok([String: String]())
    }

    /// ``Engagement`` → `{}`: a like or a comment, unless its post was deleted; a repeated one keeps the later time.
    private func recordEngagement(_ command: CommandContext) throws -> CommandResult {
        let engagement = try command.decodePayload(Engagement.self)
        try command.db.execute(
            """
            INSERT INTO trending_engagements (post_id, kind, ref, user_id, created_at)
            SELECT $1::bigint, $2::smallint, $3::bigint, $4::bigint, $5::timestamptz
            WHERE NOT EXISTS (SELECT 1 FROM trending_posts WHERE post_id = $1::bigint AND deleted)
            ON CONFLICT (post_id, kind, ref) DO UPDATE SET created_at = greatest(trending_engagements.created_at, EXCLUDED.created_at)
            """,
            [
                .int(engagement.postId), .int(engagement.kind.rawValue), .int(engagement.ref), .int(engagement.userId),
                .text(engagement.at ?? "now"),
            ]
        )
        return try .ok([String: String]())
    }

    /// ``Engagement`` (without `user_id` and `at`) → `{}`: a like taken back, a comment deleted.
    private func removeEngagement(_ command: CommandContext) throws -> CommandResult {
        let engagement = try command.decodePayload(Engagement.self)
        try command.db.execute(
            "DELETE FROM trending_engagements WHERE post_id = $1 AND kind = $2 AND ref = $3",
            [.int(engagement.postId), .int(engagement.kind.rawValue), .int(engagement.ref)]
        )
        return try .ok([String: String]())
    }

    /// ``UserState`` → `{}`: a ban hides the account's posts, engagements and hashtag uses from scoring until the
    /// unban; a deleted account's rows go, and it stays hidden so that a late event of it counts for nothing.
    private func setUser(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(UserState.self)
        let user: DatabaseValue = .int(input.userId)
        switch input.state {
        case .banned:
            try command.db.execute(
                "INSERT INTO trending_hidden_users (user_id, reason) VALUES ($1, 'banned') ON CONFLICT DO NOTHING",
                [user]
            )
        case .visible:
            try command.db.execute("DELETE FROM trending_hidden_users WHERE user_id = $1 AND reason = 'banned'", [user])
        case .deleted:
            try command.db.execute(
                """
                INSERT INTO trending_hidden_users (user_id, reason) VALUES ($1, 'deleted')
                ON CONFLICT (user_id) DO UPDATE SET reason = 'deleted', since = now()
                """,
                [user]
            )
            try command.db.execute("DELETE FROM trending_engagements WHERE user_id = $1", [user])
            try command.db.execute("DELETE FROM trending_tag_uses WHERE user_id = $1", [user])
        }
        return try .ok([String: String]())
    }

    /// ``PruneInput`` → `{}`: rows older than what scoring looks at go (a deleted account is remembered as long as
    /// hashtag uses are kept).
    private func prune(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(PruneInput.self)
        let window: DatabaseValue = .int(input.windowHours)
        let days: DatabaseValue = .int(input.tagDays)
        try command.db.execute("DELETE FROM trending_posts WHERE created_at < now() - make_interval(hours => $1::int)", [window])
        try command.db.execute("DELETE FROM trending_engagements WHERE created_at < now() - make_interval(hours => $1::int)", [window])
        try command.db.execute("DELETE FROM trending_tag_uses WHERE created_at < now() - make_interval(days => $1::int)", [days])
        try command.db.execute(
            "DELETE FROM trending_hidden_users WHERE reason = 'deleted' AND since < now() - make_interval(days => $1::int)",
            [days]
        )
        return try .ok([String: String]())
    }
}
