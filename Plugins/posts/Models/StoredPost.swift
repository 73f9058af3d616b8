import AuthContract
import ImageAppPlugin
import MediaContract
import PluginSupport
import PostsContract

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A post as the table keeps it: what the plugin's commands and queries hand its routes.
struct StoredPost: Codable, Hashable, Sendable {
    var id: PostID
    var authorId: UserID
    var caption: String
    var tags: [String]
    var mentions: [Mention]
    var mediaIds: [MediaID]
    /// RFC 3339.
    var createdAt: String
    var editedAt: String?

    /// The columns ``init(row:)`` reads, for `SELECT` and `RETURNING` on `posts`.
    static let columns = """
        id::text AS id, author_id::text AS author_id, caption, array_to_json(tags)::text AS tags, mentions::text AS mentions, \
        array_to_json(media_ids)::text AS media_ids, \(SQLTimestamp.rfc3339("created_at")) AS created_at, \(SQLTimestamp.rfc3339("edited_at")) AS edited_at
        """

    /// The same columns qualified with the table alias `p`.
    static let qualifiedColumns = """
        p.id::text AS id, p.author_id::text AS author_id, p.caption, array_to_json(p.tags)::text AS tags, \
        p.mentions::text AS mentions, array_to_json(p.media_ids)::text AS media_ids, \(SQLTimestamp.rfc3339("p.created_at")) AS created_at, \
        \(SQLTimestamp.rfc3339("p.edited_at")) AS edited_at
        """

    /// The post in a row of ``columns``; `nil` for a row that is not one.
    init?(row: Rows.Row) {
        guard let id = row["id"].flatMap(PostID.init), let author = row["author_id"].flatMap({ Int64($0) }),
            let created = row["created_at"]
        else { return nil }
        let decoder = JSONDecoder()
        self.id = id
        authorId = UserID(author)
        caption = row["caption"] ?? ""
        tags = (try? decoder.decode([String].self, from: Data((row["tags"] ?? "[]").utf8))) ?? []
        mentions = (try? decoder.decode([MentionRow].self, from: Data((row["mentions"] ?? "[]").utf8)))?.map(\.mention) ?? []
        mediaIds = ((try? decoder.decode([Int64].self, from: Data((row["media_ids"] ?? "[]").utf8))) ?? []).map(MediaID.init)
        createdAt = created
        editedAt = row["edited_at"]
    }

    /// The event payload about this post.
    var event: PostEvent {
        PostEvent(postId: id, authorId: authorId, tags: tags, mentions: mentions, mediaIds: mediaIds, createdAt: createdAt)
    }
}

/// A mention as the `mentions` column stores it: `{"id": "42", "handle": "ann"}`.
struct MentionRow: Codable, Hashable, Sendable {
    var id: String
    var handle: String

    init(_ mention: Mention) {
        id = mention.id.description
        handle = mention.handle
    }

    var mention: Mention { Mention(id: UserID(Int64(id) ?? 0), handle: handle) }
}

extension Rows {
    /// The posts in these rows (of ``StoredPost/columns``).
    var posts: [StoredPost] { compactMap(StoredPost.init(row:)) }
}
