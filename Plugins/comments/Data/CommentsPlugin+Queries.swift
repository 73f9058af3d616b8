import AuthContract
import CommentsContract
import ImageAppPlugin
import MediaContract

extension CommentsPlugin {
    /// The plugin's own reads (`comments.page`, `comments.posts_of_author`) and the query of its contract.
    func registerQueries(_ registrar: PluginRegistrar) throws {
        try registrar.query("comments.page", page)
        try registrar.query("comments.posts_of_author", postsOfAuthor)
        try registrar.query(CommentsQuery.postCounts, postCounts)
    }

    /// ``CommentSlice`` → ``CommentRows``: a post's comments in thread order (each top-level comment, then its
    /// replies, oldest first) after the cursor, with `parent_author_id`. Left out: comments whose author or thread
    /// author is hidden, and placeholders without a reply left to show.
    private func page(_ query: CommandContext) throws -> CommandResult {
        let input = try query.decodePayload(CommentSlice.self)
        let comments = try query.db.execute(
            """
            SELECT \(StoredComment.columns), p.author_id::text AS parent_author_id
            FROM comments c LEFT JOIN comments p ON p.id = c.parent_id
            WHERE c.post_id = $1 AND (coalesce(c.parent_id, c.id), c.id) > ($2, $3)
              AND NOT EXISTS (SELECT 1 FROM comments_hidden_authors h WHERE h.user_id IN (c.author_id, p.author_id))
              AND (c.deleted_at IS NULL OR EXISTS (
                SELECT 1 FROM comments r WHERE r.parent_id = c.id
                  AND NOT EXISTS (SELECT 1 FROM comments_hidden_authors h WHERE h.user_id = r.author_id)))
            ORDER BY coalesce(c.parent_id, c.id), c.id
            LIMIT $4
            """,
            [.int(input.postId.value), .int(input.afterThread), .int(input.afterId), .int(Int64(input.limit))]
        ).comments
        return try .ok(CommentRows(comments: comments))
    }

    /// `PostIDs` → `{"<post id>": {"comment_count": n}}` for every post asked about: comments that are not
    /// placeholders and whose author and thread author are not hidden — exactly the ones the list shows with a body.
    private func postCounts(_ query: CommandContext) throws -> CommandResult {
        let input = try query.decodePayload(PostIDs.self)
        guard input.postIds.count <= CommentsLimits.idsPerQuery else {
            throw HTTPError.unprocessable(fields: ["post_ids": "must list at most \(CommentsLimits.idsPerQuery) ids"])
        }
        var counts = Dictionary(input.postIds.map { ($0.description, ["comment_count": Int64(0)]) }, uniquingKeysWith: { first, _ in first })
        guard !input.postIds.isEmpty else { return try .ok(counts) }
        let rows = try query.db.execute(
            """
            SELECT c.post_id::text AS post_id, count(*)::text AS n
            FROM comments c LEFT JOIN comments p ON p.id = c.parent_id
            WHERE c.post_id = ANY($1::bigint[]) AND c.deleted_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM comments_hidden_authors h WHERE h.user_id IN (c.author_id, p.author_id))
            GROUP BY c.post_id
            """,
            [.text("{" + input.postIds.map(\.description).joined(separator: ",") + "}")]
        )
        for row in rows {
            guard let post = row["post_id"], let count = row["n"].flatMap({ Int64($0) }) else { continue }
            counts[post] = ["comment_count": count]
        }
        return try .ok(counts)
    }

    /// ``AuthorPosts`` → ``DeletedComments``-shaped `{"post_ids"}`: the posts the user has comments on, by id, after
    /// `after` (for the posts whose counts a ban or an unban changes).
    private func postsOfAuthor(_ query: CommandContext) throws -> CommandResult {
        let input = try query.decodePayload(AuthorPosts.self)
        let rows = try query.db.execute(
            "SELECT post_id::text AS post_id FROM comments WHERE author_id = $1 AND post_id > $2 GROUP BY post_id ORDER BY post_id LIMIT $3",
            [.int(input.userId.value), .int(input.after), .int(Int64(input.limit))]
        )
        return try .ok(DeletedComments(postIds: rows.compactMap { $0["post_id"].flatMap(PostID.init) }))
    }
}

/// The payload of `comments.page`: one page's worth of a post's comments after a `(thread, id)` key.
struct CommentSlice: Codable, Sendable {
    var postId: PostID
    /// The thread (its top-level comment's id) of the last comment seen; 0 for the first page.
    var afterThread: Int64
    /// The last comment seen; 0 for the first page.
    var afterId: Int64
    var limit: Int
}

/// The result of `comments.page`.
struct CommentRows: Codable, Sendable {
    var comments: [StoredComment]
}

/// The payload of `comments.posts_of_author`.
struct AuthorPosts: Codable, Sendable {
    var userId: UserID
    /// Only posts with larger ids; 0 for the first.
    var after: Int64
    var limit: Int
}
