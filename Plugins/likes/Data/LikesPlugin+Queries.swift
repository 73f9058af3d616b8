import AuthContract
import ImageAppPlugin
import LikesContract
import MediaContract

extension LikesPlugin {
    /// The queries of the contract and the plugin's own reads.
    func registerQueries(_ registrar: PluginRegistrar) throws {
        try registrar.query(LikesQuery.postCounts, postCounts)
        try registrar.query(LikesQuery.likedPosts, likedPosts)
        try registrar.query("likes.rows_count", rowsCount)
        try registrar.query("likes.likers", likers)
    }

    /// ``PostIDs`` → `{"<post id>": {"like_count": n}}`.
    private func postCounts(_ query: CommandContext) throws -> CommandResult {
        let input = try query.decodePayload(PostIDs.self)
        guard input.postIds.count <= 200 else { throw HTTPError.unprocessable(fields: ["post_ids": "must list at most 200 ids"]) }
        let counts = try counter.counts(input.postIds) { post in try Self.countRows(post, query.db) }
        var result: [String: [String: Int64]] = [:]
        for (post, count) in counts { result[post.description] = ["like_count": max(0, count)] }
        return try .ok(result)
    }

    /// `{"user_id", "post_ids"}` → `{"post_ids"}`: those the user likes.
    private func likedPosts(_ query: CommandContext) throws -> CommandResult {
        struct Input: Decodable {
            var userId: UserID
            var postIds: [PostID]
        }
        let input = try query.decodePayload(Input.self)
        guard input.postIds.count <= 200 else { throw HTTPError.unprocessable(fields: ["post_ids": "must list at most 200 ids"]) }
        guard !input.postIds.isEmpty else { return try .ok(PostIDs(postIds: [])) }
        let rows = try query.db.execute(
            "SELECT post_id::text AS post_id FROM likes WHERE user_id = $1 AND post_id = ANY($2::bigint[])",
            [.int(input.userId.value), .text("{" + input.postIds.map(\.description).joined(separator: ",") + "}")]
        )
        return try .ok(PostIDs(postIds: rows.compactMap { $0["post_id"].flatMap(PostID.init) }))
    }

    /// `{"post_id"}` → `{"count"}`: the rows, for a counter rebuilt outside a query.
    private func rowsCount(_ query: CommandContext) throws -> CommandResult {
        let input = try query.decodePayload(PostRef.self)
        return try .ok(["count": try Self.countRows(input.postId, query.db)])
    }

    /// ``LikersSlice`` → `{"items": [{"user_id", "time"}]}`: newest first, before the cursor.
    private func likers(_ query: CommandContext) throws -> CommandResult {
        let input = try query.decodePayload(LikersSlice.self)
        let rows = try query.db.execute(
            """
            SELECT user_id::text AS user_id, (extract(epoch FROM created_at) * 1000000)::bigint::text AS time FROM likes
            WHERE post_id = $1
              AND ($2::bigint IS NULL OR (created_at, user_id) < (to_timestamp($2::double precision / 1000000), $3::bigint))
            ORDER BY created_at DESC, user_id DESC LIMIT $4
            """,
            [
                .int(input.postId.value), input.beforeTime.map(DatabaseValue.int) ?? .null,
                .int(input.beforeUser ?? .max), .int(Int64(input.limit)),
            ]
        )
        let items = rows.compactMap { row -> Liker? in
            guard let user = row["user_id"].flatMap({ Int64($0) }), let time = row["time"].flatMap({ Int64($0) }) else { return nil }
            return Liker(userId: UserID(user), time: time)
        }
        return try .ok(Likers(items: items))
    }

    static func countRows(_ post: PostID, _ db: Database) throws -> Int64 {
        try db.execute("SELECT count(*)::text AS n FROM likes WHERE post_id = $1", [.int(post.value)]).first?["n"].flatMap { Int64($0) } ?? 0
    }
}

/// The payload of `likes.likers`.
struct LikersSlice: Codable, Sendable {
    var postId: PostID
    /// Microseconds since 1970 and the user id of the last liker of the page before; `nil` for the first page.
    var beforeTime: Int64?
    var beforeUser: Int64?
    var limit: Int
}

/// One liker and when.
struct Liker: Codable, Sendable {
    var userId: UserID
    var time: Int64
}

/// The result of `likes.likers`.
struct Likers: Codable, Sendable {
    var items: [Liker]
}
