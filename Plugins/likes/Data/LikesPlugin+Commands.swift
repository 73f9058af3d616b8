import AuthContract
import ImageAppPlugin
import LikesContract
import MediaContract

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension LikesPlugin {
    /// The commands: the only code that writes the plugin's tables.
    func registerCommands(_ registrar: PluginRegistrar) throws {
        try registrar.dataCommand("likes.like", like)
        try registrar.dataCommand("likes.unlike", unlike)
        try registrar.dataCommand("likes.apply_flush", applyFlush)
        try registrar.dataCommand("likes.delete_for_post", deleteForPost)
        try registrar.dataCommand("likes.delete_for_user", deleteForUser)
    }

    /// ``LikeEvent`` → `{"changed"}`: inserts the like unless it is there (or the post was deleted); raises
    /// `like.created` when it inserted.
    private func like(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(LikeEvent.self)
        let inserted = try command.db.execute(
            """
            INSERT INTO likes (post_id, user_id) SELECT $1, $2
            WHERE NOT EXISTS (SELECT 1 FROM likes_deleted_posts WHERE post_id = $1)
            ON CONFLICT DO NOTHING RETURNING 1
            """,
            [.int(input.postId.value), .int(input.userId.value)]
        )
        if !inserted.isEmpty { try command.raise(LikesEvent.created, payload: input) }
        return try .ok(Changed(changed: !inserted.isEmpty))
    }

    /// ``LikeEvent`` → `{"changed"}`: deletes the like if it is there; raises `like.deleted` when it did.
    private func unlike(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(LikeEvent.self)
        let deleted = try command.db.execute(
            "DELETE FROM likes WHERE post_id = $1 AND user_id = $2 RETURNING 1",
            [.int(input.postId.value), .int(input.userId.value)]
        )
        if !deleted.isEmpty { try command.raise(LikesEvent.deleted, payload: input) }
        return try .ok(Changed(changed: !deleted.isEmpty))
    }

    /// ``FlushBatch`` → `{"changed"}`: adds a batch of counter changes to `like_counts`, unless that batch was
    /// applied before (then `changed` is false). Deleted posts' changes are dropped.
    private func applyFlush(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(FlushBatch.self)
        let fresh = try command.db.execute(
            "INSERT INTO likes_flushes (flush_id) VALUES ($1) ON CONFLICT DO NOTHING RETURNING 1",
            [.text(input.flushId)]
        )
        guard !fresh.isEmpty else { return try .ok(Changed(changed: false)) }
        let deltas = String(decoding: try JSONEncoder().encode(input.deltas), as: UTF8.self)
        try command.db.execute(
            """
            INSERT INTO like_counts (post_id, count)
            SELECT d.key::bigint, d.value::bigint FROM jsonb_each_text($1::jsonb) d
            WHERE NOT EXISTS (SELECT 1 FROM likes_deleted_posts x WHERE x.post_id = d.key::bigint)
            ON CONFLICT (post_id) DO UPDATE SET count = like_counts.count + EXCLUDED.count
            """,
            [.text(deltas)]
        )
        try command.db.execute("DELETE FROM likes_flushes WHERE applied_at < now() - interval '1 day'")
        return try .ok(Changed(changed: true))
    }

    /// `{"post_id"}` → `{"changed"}`: a deleted post's likes and count go, and the post is remembered as deleted.
    private func deleteForPost(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(PostRef.self)
        try command.db.execute("INSERT INTO likes_deleted_posts (post_id) VALUES ($1) ON CONFLICT DO NOTHING", [.int(input.postId.value)])
        let gone = try command.db.execute("DELETE FROM likes WHERE post_id = $1 RETURNING 1", [.int(input.postId.value)])
        try command.db.execute("DELETE FROM like_counts WHERE post_id = $1", [.int(input.postId.value)])
        return try .ok(Changed(changed: !gone.isEmpty))
    }

    /// `{"user_id"}` → `{"post_ids"}`: up to 500 of a deleted user's likes go (call again until none are left); the
    /// posts whose count fell.
    private func deleteForUser(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(UserRef.self)
        let rows = try command.db.execute(
            """
            DELETE FROM likes WHERE (post_id, user_id) IN (
                SELECT post_id, user_id FROM likes WHERE user_id = $1 LIMIT 500 FOR UPDATE SKIP LOCKED)
            RETURNING post_id::text AS post_id
            """,
            [.int(input.userId.value)]
        )
        return try .ok(PostIDs(postIds: rows.compactMap { $0["post_id"].flatMap(PostID.init) }))
    }
}

/// `{"changed"}`: whether a command changed anything.
struct Changed: Codable, Sendable {
    var changed: Bool
}

/// The payload of `likes.apply_flush`.
struct FlushBatch: Codable, Sendable {
    var flushId: String
    /// Post id (decimal) → change.
    var deltas: [String: Int64]
}
