public import AuthContract
public import MediaContract
public import PostsContract
public import ProfilesContract

/// The shared comment shape (PRODUCT.md, "Resource shapes"), plus `mentions`: what the API answers.
///
/// A deleted comment that still has replies is a placeholder: `deleted` true, `body` empty, `author` `null` and no
/// mentions — nothing of what was removed is shown, not even who wrote it.
public struct CommentView: Codable, Hashable, Sendable {
    public var id: CommentID
    public var postId: PostID
    /// The top-level comment this one replies to; `nil` for a top-level comment.
    public var parentId: CommentID?
    /// `nil` for a placeholder.
    public var author: UserSummary?
    /// Empty for a placeholder.
    public var body: String
    /// The users the body mentions, in order of first appearance (unknown handles stay plain text).
    public var mentions: [Mention]
    /// RFC 3339.
    public var createdAt: String
    public var deleted: Bool

    /// A comment with every field given.
    public init(
        id: CommentID,
        postId: PostID,
        parentId: CommentID?,
        author: UserSummary?,
        body: String,
        mentions: [Mention],
        createdAt: String,
        deleted: Bool
    ) {
        self.id = id
        self.postId = postId
        self.parentId = parentId
        self.author = author
        self.body = body
        self.mentions = mentions
        self.createdAt = createdAt
        self.deleted = deleted
    }

    // Written out so that `parent_id` and `author` are `null` rather than missing.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(postId, forKey: .postId)
        try container.encode(parentId, forKey: .parentId)
        try container.encode(author, forKey: .author)
        try container.encode(body, forKey: .body)
        try container.encode(mentions, forKey: .mentions)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(deleted, forKey: .deleted)
    }

    private enum CodingKeys: String, CodingKey {
        case id, postId, parentId, author, body, mentions, createdAt, deleted
    }
}
