import AuthContract
import ImageAppPlugin
import LikesContract
import MediaContract
import PostsContract

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension LikesPlugin {
    /// The commands: the only code that writes the plugin's tables.
    func registerCommands(_ registrar: PluginRegistrar) throws {
        try registrar.dataCommand("likes.apply", apply)
        try registrar.dataCommand("likes.apply_flush", applyFlush)
        try registrar.dataCommand("likes.delete_for_post", deleteForPost)
        try registrar.dataCommand("likes.delete_for_user", deleteForUser)
    }

    /// ``LikeChanges`` → ``AppliedChanges``: a batch of likes and unlikes, one per (post, user), in one transaction
    /// (``LikeWriter``): asks `posts.visible_authors` once which of the posts exist and are visible (inside this
    /// transaction), inserts the likes of those not there yet (nor on a deleted post), deletes the rows of their
    /// unlikes, and raises `like.created` / `like.deleted` for each that changed, in the batch's order. Rows are written
    /// in key order, so two batches never wait on each other's rows in opposite orders.
    private func apply(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(LikeChanges.self)
        let posts = Array(Set(input.changes.map(\.postId)))
        let visible = try host.dispatchQuery(PostsQuery.visibleAuthors, payload: PostIDs(postIds: posts), as: PostAuthors.self)
        let authors = Dictionary(visible.items.map { ($0.postId, $0.authorId) }, uniquingKeysWith: { first, _ in first })
        let found = input.changes.filter { authors[$0.postId] != nil }
        var changed: Set<LikeChange.Pair> = []
        for liked in [true, false] {
            let pairs = found.filter { $0.liked == liked }.map(\.pair).sorted { ($0.post, $0.user) < ($1.post, $1.user) }
            guard !pairs.isEmpty else { continue }
            let sql =
                liked
                ? """
                INSERT INTO likes (post_id, user_id)
                SELECT c.p, c.u FROM unnest($1::bigint[], $2::bigint[]) WITH ORDINALITY AS c(p, u, n)
                WHERE NOT EXISTS (SELECT 1 FROM likes_deleted_posts d WHERE d.post_id = c.p)
                ORDER BY c.n
                ON CONFLICT DO NOTHING RETURNING post_id::text AS post_id, user_id::text AS user_id
                """
                : """
                DELETE FROM likes l USING unnest($1::bigint[], $2::bigint[]) AS c(p, u)
                WHERE l.post_id = c.p AND l.user_id = c.u RETURNING l.post_id::text AS post_id, l.user_id::text AS user_id
                """
            let rows = try command.db.execute(sql, [Self.bigintArray(pairs.map(\.post)), Self.bigintArray(pairs.map(\.user))])
            for row in rows {
                guard let post = row["post_id"].flatMap({ Int64($0) }), let user = row["user_id"].flatMap({ Int64($0) }) else { continue }
                changed.insert(LikeChange.Pair(post: post, user: user))
            }
        }
        var flags: [Bool] = []
        for change in input.changes {
            let did = changed.contains(change.pair)
            if did, let author = authors[change.postId] {
                let like = LikeEvent(postId: change.postId, postAuthorId: author, userId: change.userId)
                try command.raise(change.liked ? LikesEvent.created : LikesEvent.deleted, json: like.json)
            }
            flags.append(did)
        }
        return try .ok(AppliedChanges(found: input.changes.map { authors[$0.postId] != nil }, changed: flags))
    }

    /// A PostgreSQL `bigint[]` literal.
    private static func bigintArray(_ values: [Int64]) -> DatabaseValue {
        .text("{" + values.map(String.init).joined(separator: ",") + "}")
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
