import AuthContract
import CommentsContract
import ImageAppPlugin
import MediaContract
import PluginSupport
import PostsContract

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A comment as the table keeps it: what the plugin's commands and queries hand its routes.
struct StoredComment: Codable, Hashable, Sendable {
    var id: CommentID
    var postId: PostID
    var postAuthorId: UserID
    var parentId: CommentID?
    /// `nil` for a placeholder.
    var authorId: UserID?
    var body: String
    var mentions: [Mention]
    /// RFC 3339.
    var createdAt: String
    var deleted: Bool
    /// The author of the top-level comment this one replies to (`nil` for a top-level comment or a placeholder
    /// parent), where the statement read it: its comments are hidden with it.
    var parentAuthorId: UserID?

    /// The columns ``init(row:)`` reads, for `SELECT`, `RETURNING` and the table alias `c`.
    static let columns = """
        c.id::text AS id, c.post_id::text AS post_id, c.post_author_id::text AS post_author_id, \
        c.parent_id::text AS parent_id, c.author_id::text AS author_id, c.body, c.mentions::text AS mentions, \
        \(SQLTimestamp.rfc3339("c.created_at")) AS created_at, \
        c.deleted_at IS NOT NULL AS deleted
        """

    /// The comment in a row of ``columns`` (and `parent_author_id` when there is one); `nil` for a row that is not
    /// one.
    init?(row: Rows.Row) {
        guard let id = row["id"].flatMap(CommentID.init), let post = row["post_id"].flatMap(PostID.init),
            let postAuthor = row["post_author_id"].flatMap(UserID.init), let created = row["created_at"]
        else { return nil }
        self.id = id
        postId = post
        postAuthorId = postAuthor
        parentId = row["parent_id"].flatMap(CommentID.init)
        authorId = row["author_id"].flatMap(UserID.init)
        body = row["body"] ?? ""
        mentions = (try? JSONDecoder().decode([Mention].self, from: Data((row["mentions"] ?? "[]").utf8))) ?? []
        createdAt = created
        deleted = row["deleted"] == "t"
        parentAuthorId = row["parent_author_id"].flatMap(UserID.init)
    }
}

extension Rows {
    /// The comments in these rows (of ``StoredComment/columns``).
    var comments: [StoredComment] { compactMap(StoredComment.init(row:)) }
}
