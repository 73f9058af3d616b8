import AuthContract
import ImageAppPlugin
import MediaContract
import PluginSupport
import PostsContract

extension PostsPlugin {
    /// The plugin's own reads (`posts.rows`, `posts.by_author`, `posts.by_tag`) and the queries of its contract.
    func registerQueries(_ registrar: PluginRegistrar) throws {
        try registrar.query("posts.rows", rows)
        try registrar.query("posts.by_author", byAuthor)
        try registrar.query("posts.by_tag", byTag)
        try registrar.query(PostsQuery.views, views)
        try registrar.serviceCommand(PostsCommand.views, views)
        try registrar.query(PostsQuery.authors, authors)
        try registrar.query(PostsQuery.visibleAuthors, visibleAuthors)
        try registrar.query(PostsQuery.profileCounts, profileCounts)
        try registrar.query(PostsQuery.recentByAuthors, recentByAuthors)
    }

    /// ``PostIDs`` → ``DeletedPosts``-shaped `{"posts"}`: the stored posts, in no particular order.
    private func rows(_ query: CommandContext) throws -> CommandResult {
        let input = try query.decodePayload(PostIDs.self)
        guard input.postIds.count <= PostsLimits.idsPerQuery else { throw Self.tooManyIDs }
        let posts = try query.db.execute(
            "SELECT \(StoredPost.columns) FROM posts WHERE id = ANY($1::bigint[])",
            [.text(Self.arrayLiteral(input.postIds))]
        ).posts
        return try .ok(DeletedPosts(posts: posts))
    }

    /// ``ListSlice`` with `author_id` → `{"posts"}`: newest first, before the cursor.
    private func byAuthor(_ query: CommandContext) throws -> CommandResult {
        let input = try query.decodePayload(ListSlice.self)
        let posts = try query.db.execute(
            """
            SELECT \(StoredPost.columns) FROM posts
            WHERE author_id = $1 AND id < $2
            ORDER BY id DESC LIMIT $3
            """,
            [.int(input.authorId?.value ?? 0), .int(input.before ?? .max), .int(Int64(input.limit))]
        ).posts
        return try .ok(DeletedPosts(posts: posts))
    }

    /// ``ListSlice`` with `tag` → `{"posts"}`: newest first, before the cursor, without hidden authors.
    private func byTag(_ query: CommandContext) throws -> CommandResult {
        let input = try query.decodePayload(ListSlice.self)
        let posts = try query.db.execute(
            """
            SELECT \(StoredPost.qualifiedColumns) FROM post_tags t JOIN posts p ON p.id = t.post_id
            WHERE t.tag = $1 AND t.post_id < $2
              AND NOT EXISTS (SELECT 1 FROM posts_hidden_authors h WHERE h.user_id = p.author_id)
            ORDER BY t.post_id DESC LIMIT $3
            """,
            [.text(input.tag ?? ""), .int(input.before ?? .max), .int(Int64(input.limit))]
        ).posts
        return try .ok(DeletedPosts(posts: posts))
    }

    /// ``PostViewsInput`` → ``PostList``: rendered posts, cached like `GET /api/v1/posts/{id}`. Touches no table
    /// itself (it dispatches), so it also serves as the service command ``PostsCommand/views``.
    private func views(_ query: CommandContext) throws -> CommandResult {
        let input = try query.decodePayload(PostViewsInput.self)
        guard input.postIds.count <= PostsLimits.idsPerQuery else { throw Self.tooManyIDs }
        let bodies = try applyingLiked(renderedBodies(input.postIds, canBlock: true), viewer: input.viewerId, canBlock: true)
        return .okJSON("{\"items\":[" + bodies.map { String(decoding: $0.body, as: UTF8.self) }.joined(separator: ",") + "]}")
    }

    /// ``PostIDs`` → ``PostAuthors``.
    private func authors(_ query: CommandContext) throws -> CommandResult {
        let input = try query.decodePayload(PostIDs.self)
        guard input.postIds.count <= PostsLimits.idsPerQuery else { throw Self.tooManyIDs }
        let rows = try query.db.execute(
            "SELECT id::text AS id, author_id::text AS author_id FROM posts WHERE id = ANY($1::bigint[])",
            [.text(Self.arrayLiteral(input.postIds))]
        )
        return try .ok(PostAuthors(items: rows.compactMap(PostAuthors.Item.init(row:))))
    }

    /// ``PostIDs`` → ``PostAuthors``, without posts of hidden (banned) authors.
    private func visibleAuthors(_ query: CommandContext) throws -> CommandResult {
        let input = try query.decodePayload(PostIDs.self)
        guard input.postIds.count <= PostsLimits.idsPerQuery else { throw Self.tooManyIDs }
        let rows = try query.db.execute(
            """
            SELECT p.id::text AS id, p.author_id::text AS author_id FROM posts p WHERE p.id = ANY($1::bigint[])
              AND NOT EXISTS (SELECT 1 FROM posts_hidden_authors h WHERE h.user_id = p.author_id)
            """,
            [.text(Self.arrayLiteral(input.postIds))]
        )
        return try .ok(PostAuthors(items: rows.compactMap(PostAuthors.Item.init(row:))))
    }

    /// `{"user_id"}` → `{"posts": n}`.
    private func profileCounts(_ query: CommandContext) throws -> CommandResult {
        let input = try query.decodePayload(UserRef.self)
        let count =
            try query.db.execute("SELECT count(*)::text AS n FROM posts WHERE author_id = $1", [.int(input.userId.value)])
            .first?["n"].flatMap { Int64($0) } ?? 0
        return try .ok(["posts": count])
    }

    /// ``RecentPostsInput`` → ``PostIDs``: newest first. For listed authors, each author's newest posts are read
    /// through `posts_author_id` (one bounded index scan each) and merged, so a follower of thousands reads no more
    /// than `limit` rows per author.
    private func recentByAuthors(_ query: CommandContext) throws -> CommandResult {
        let input = try query.decodePayload(RecentPostsInput.self)
        var problems = FieldProblems()
        if !(1...PostsLimits.recentPostsPerQuery).contains(input.limit) {
            problems.check("limit", "must be from 1 to \(PostsLimits.recentPostsPerQuery)")
        }
        if (input.authorIds?.count ?? 0) > PostsLimits.authorsPerQuery {
            problems.check("author_ids", "must list at most \(PostsLimits.authorsPerQuery) ids")
        }
        try problems.throwIfAny()
        let before = input.before?.value ?? .max
        let rows: Rows
        if let authors = input.authorIds {
            guard !authors.isEmpty else { return try .ok(PostIDs(postIds: [])) }
            rows = try query.db.execute(
                """
                SELECT p.id::text AS id FROM unnest($1::bigint[]) AS a(id)
                CROSS JOIN LATERAL (
                    SELECT id FROM posts WHERE author_id = a.id AND id < $2 ORDER BY id DESC LIMIT $3) p
                WHERE NOT EXISTS (SELECT 1 FROM posts_hidden_authors h WHERE h.user_id = a.id)
                ORDER BY p.id DESC LIMIT $3
                """,
                [.text("{" + authors.map(\.description).joined(separator: ",") + "}"), .int(before), .int(Int64(input.limit))]
            )
        } else {
            rows = try query.db.execute(
                """
                SELECT id::text AS id FROM posts p WHERE id < $1
                  AND NOT EXISTS (SELECT 1 FROM posts_hidden_authors h WHERE h.user_id = p.author_id)
                ORDER BY id DESC LIMIT $2
                """,
                [.int(before), .int(Int64(input.limit))]
            )
        }
        return try .ok(PostIDs(postIds: rows.compactMap { $0["id"].flatMap(PostID.init) }))
    }

    private static var tooManyIDs: HTTPError {
        .unprocessable(fields: ["post_ids": "must list at most \(PostsLimits.idsPerQuery) ids"])
    }
}

/// The payload of `posts.by_author` and `posts.by_tag`: one page's worth, before a post id.
struct ListSlice: Codable, Sendable {
    var authorId: UserID?
    var tag: String?
    /// Only posts with smaller ids (older); `nil` for the newest.
    var before: Int64?
    var limit: Int
}

extension PostAuthors.Item {
    /// The item of a row with `id` and `author_id`; `nil` when either is missing.
    init?(row: Rows.Row) {
        guard let id = row["id"].flatMap(PostID.init), let author = row["author_id"].flatMap({ Int64($0) }) else { return nil }
        self.init(postId: id, authorId: UserID(author))
    }
}
