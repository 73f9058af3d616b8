import AuthContract
import CommentsContract
import ImageAppPlugin
import MediaContract
import PostsContract

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// Every command that adds or removes comments runs SERIALIZABLE: whether a comment may be written (its parent still
// there, its post or author not deleted meanwhile) and whether a deleted one keeps a placeholder (has it replies?)
// are reads that a concurrent command's writes would make stale. PostgreSQL then fails one of the two with a
// serialization failure, which the host retries, and the retry sees the other's result.

extension CommentsPlugin {
    /// The commands: the only code that writes the plugin's tables. Each raises its events in its own transaction.
    func registerCommands(_ registrar: PluginRegistrar) throws {
        try registrar.dataCommand("comments.create", serializable: true, create)
        try registrar.dataCommand("comments.delete", serializable: true, delete)
        try registrar.dataCommand("comments.delete_for_post", serializable: true, deleteForPost)
        try registrar.dataCommand("comments.delete_for_author", serializable: true, deleteForAuthor)
        try registrar.dataCommand("comments.hide_author", hideAuthor)
        try registrar.dataCommand("comments.show_author", showAuthor)
    }

    /// ``NewComment`` → ``StoredComment``; raises `comment.created`. A reply to a reply joins the top-level comment's
    /// thread. 404 `post_not_found` or `user_not_found` for a post or author deleted meanwhile; 422 for a parent that
    /// is not a shown comment of the same post.
    private func create(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(NewComment.self)
        let db = command.db
        guard try db.execute("SELECT 1 FROM comments_deleted_posts WHERE post_id = $1", [.int(input.postId.value)]).isEmpty else {
            throw Self.postNotFound
        }
        guard try db.execute("SELECT 1 FROM comments_deleted_users WHERE user_id = $1", [.int(input.authorId.value)]).isEmpty else {
            throw HTTPError.notFound("The account no longer exists.", code: "user_not_found")
        }
        var thread: (id: CommentID, authorId: UserID?)?
        if let parentID = input.parentId {
            guard let parent = try shownComment(parentID, db), parent.postId == input.postId else {
                throw HTTPError.unprocessable(fields: ["parent_id": "must be a comment on this post that is not deleted"])
            }
            thread = parent.parentId.map { ($0, parent.parentAuthorId) } ?? (parent.id, parent.authorId)
        }
        let inserted = try db.execute(
            """
            INSERT INTO comments AS c (post_id, post_author_id, parent_id, author_id, body, mentions)
            VALUES ($1, $2, $3, $4, $5, $6::jsonb)
            RETURNING \(StoredComment.columns)
            """,
            [
                .int(input.postId.value), .int(input.postAuthorId.value), thread.map { DatabaseValue.int($0.id.value) } ?? .null,
                .int(input.authorId.value), .text(input.body), .text(try Self.json(input.mentions)),
            ]
        ).comments
        guard var comment = inserted.first else { throw HTTPError.internalError }
        comment.parentAuthorId = thread?.authorId
        try command.raise(
            CommentsEvent.created,
            payload: CommentCreated(
                commentId: comment.id,
                postId: comment.postId,
                postAuthorId: comment.postAuthorId,
                authorId: input.authorId,
                parentId: comment.parentId,
                parentAuthorId: thread?.authorId,
                mentions: comment.mentions,
                createdAt: comment.createdAt
            )
        )
        return try .ok(comment)
    }

    /// The comment `id` when it is shown: not a placeholder, and neither its author nor its thread's hidden. Its
    /// `parent_author_id` is read too.
    private func shownComment(_ id: CommentID, _ db: Database) throws -> StoredComment? {
        try db.execute(
            """
            SELECT \(StoredComment.columns), p.author_id::text AS parent_author_id
            FROM comments c LEFT JOIN comments p ON p.id = c.parent_id
            WHERE c.id = $1 AND c.deleted_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM comments_hidden_authors h WHERE h.user_id IN (c.author_id, p.author_id))
            """,
            [.int(id.value)]
        ).comments.first
    }

    /// ``DeleteComment`` → ``DeletedComments``; raises `comment.deleted` for each comment that goes. Only the comment's
    /// author, the post's author or an admin may (403); 404 `comment_not_found` for an unknown id or a placeholder.
    private func delete(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(DeleteComment.self)
        let rows = try command.db.execute(
            "SELECT \(StoredComment.columns) FROM comments c WHERE c.id = $1 AND c.deleted_at IS NULL FOR UPDATE",
            [.int(input.id.value)]
        )
        guard let comment = rows.comments.first else { throw Self.commentNotFound }
        guard input.isAdmin || comment.authorId == input.callerId || comment.postAuthorId == input.callerId else {
            throw HTTPError.forbidden("Only the comment's author, the post's author or an admin can delete a comment.")
        }
        try remove(comment, command)
        return try .ok(DeletedComments(postIds: [comment.postId]))
    }

    /// Removes `comment`, or makes it a placeholder when it has replies (hidden ones too: the rows need their parent);
    /// a placeholder parent goes with its last reply. Raises `comment.deleted` for each.
    private func remove(_ comment: StoredComment, _ command: CommandContext) throws {
        let db = command.db
        let id = DatabaseValue.int(comment.id.value)
        let placeholder = try db.execute(
            """
            UPDATE comments SET body = '', mentions = '[]', author_id = NULL, deleted_at = now()
            WHERE id = $1 AND EXISTS (SELECT 1 FROM comments r WHERE r.parent_id = $1)
            RETURNING id
            """,
            [id]
        )
        if placeholder.isEmpty {
            try db.execute("DELETE FROM comments WHERE id = $1", [id])
        }
        try command.raise(CommentsEvent.deleted, payload: comment.deletion(placeholder: !placeholder.isEmpty))
        guard placeholder.isEmpty, let parentID = comment.parentId else { return }
        let emptied = try db.execute(
            """
            DELETE FROM comments c WHERE c.id = $1 AND c.deleted_at IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM comments r WHERE r.parent_id = c.id)
            RETURNING \(StoredComment.columns)
            """,
            [.int(parentID.value)]
        ).comments
        for parent in emptied { try command.raise(CommentsEvent.deleted, payload: parent.deletion(placeholder: false)) }
    }

    /// ``PostRef`` (from `post.deleted`) → `{"deleted": n}`: every comment of the post goes, without events (the post's
    /// own event says it), and the post is remembered so that a comment being written meanwhile is refused. Idempotent.
    private func deleteForPost(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(PostRef.self)
        let post = DatabaseValue.int(input.postId.value)
        try command.db.execute("INSERT INTO comments_deleted_posts (post_id) VALUES ($1) ON CONFLICT DO NOTHING", [post])
        let gone = try command.db.execute("DELETE FROM comments WHERE post_id = $1", [post])
        return try .ok(["deleted": gone.affectedRows])
    }

    /// ``UserRef`` (from `user.deleted`) → ``DeletedComments``: up to 200 of the user's comments go, replies first
    /// (call again until `post_ids` is empty), each as ``remove(_:_:)`` does; the user is remembered so that a comment
    /// being written meanwhile is refused. `post_ids` are the posts whose counts changed.
    private func deleteForAuthor(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(UserRef.self)
        let user = DatabaseValue.int(input.userId.value)
        try command.db.execute("INSERT INTO comments_deleted_users (user_id) VALUES ($1) ON CONFLICT DO NOTHING", [user])
        try command.db.execute("DELETE FROM comments_hidden_authors WHERE user_id = $1", [user])
        let batch = try command.db.execute(
            """
            SELECT \(StoredComment.columns) FROM comments c WHERE c.author_id = $1
            ORDER BY c.parent_id IS NULL, c.id LIMIT 200 FOR UPDATE
            """,
            [user]
        ).comments
        for comment in batch { try remove(comment, command) }
        var seen: Set<PostID> = []
        return try .ok(DeletedComments(postIds: batch.map(\.postId).filter { seen.insert($0).inserted }))
    }

    /// `{"user_id"}` (from `user.banned`): the user's comments, and the replies to them, are hidden.
    private func hideAuthor(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(UserRef.self)
        try command.db.execute("INSERT INTO comments_hidden_authors (user_id) VALUES ($1) ON CONFLICT DO NOTHING", [.int(input.userId.value)])
        return .none
    }

    /// `{"user_id"}` (from `user.unbanned`): the user's comments show again.
    private func showAuthor(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(UserRef.self)
        try command.db.execute("DELETE FROM comments_hidden_authors WHERE user_id = $1", [.int(input.userId.value)])
        return .none
    }

    /// 404 for a post that does not exist or is hidden.
    static let postNotFound = HTTPError.notFound("There is no such post.", code: "post_not_found")
    /// 404 for a comment that does not exist or was deleted.
    static let commentNotFound = HTTPError.notFound("There is no such comment.", code: "comment_not_found")

    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }
}

extension StoredComment {
    /// The payload of `comment.deleted` about this comment.
    func deletion(placeholder: Bool) -> CommentDeleted {
        CommentDeleted(commentId: id, postId: postId, postAuthorId: postAuthorId, authorId: authorId, parentId: parentId, placeholder: placeholder)
    }
}

/// The payload of `comments.create`: the post and its author (checked by the route), the caller, the checked body.
struct NewComment: Codable, Sendable {
    var postId: PostID
    var postAuthorId: UserID
    var authorId: UserID
    var parentId: CommentID?
    var body: String
    var mentions: [Mention]
}

/// The payload of `comments.delete`: which comment, and who asks.
struct DeleteComment: Codable, Sendable {
    var id: CommentID
    var callerId: UserID
    var isAdmin: Bool
}

/// The result of `comments.delete` and `comments.delete_for_author`: the posts whose comments changed.
struct DeletedComments: Codable, Sendable {
    var postIds: [PostID]
}
