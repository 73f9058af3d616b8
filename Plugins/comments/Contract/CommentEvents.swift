public import AuthContract
public import MediaContract
public import PostsContract

/// The payload of ``CommentsEvent/created``: who wrote what where, and who should hear of it, without asking back.
public struct CommentCreated: Codable, Hashable, Sendable {
    /// The comment.
    public var commentId: CommentID
    /// The post it is on.
    public var postId: PostID
    /// Who wrote the post.
    public var postAuthorId: UserID
    /// Who wrote the comment.
    public var authorId: UserID
    /// The top-level comment it replies to; `nil` for a top-level comment.
    public var parentId: CommentID?
    /// Who wrote that comment; `nil` for a top-level comment.
    public var parentAuthorId: UserID?
    /// The users it mentions (resolved when it was written).
    public var mentions: [Mention]
    /// RFC 3339: when it was written.
    public var createdAt: String

    /// A payload with every field given.
    public init(
        commentId: CommentID,
        postId: PostID,
        postAuthorId: UserID,
        authorId: UserID,
        parentId: CommentID?,
        parentAuthorId: UserID?,
        mentions: [Mention],
        createdAt: String
    ) {
        self.commentId = commentId
        self.postId = postId
        self.postAuthorId = postAuthorId
        self.authorId = authorId
        self.parentId = parentId
        self.parentAuthorId = parentAuthorId
        self.mentions = mentions
        self.createdAt = createdAt
    }

    // Written out so that a top-level comment says `"parent_id": null` rather than leaving the keys out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(commentId, forKey: .commentId)
        try container.encode(postId, forKey: .postId)
        try container.encode(postAuthorId, forKey: .postAuthorId)
        try container.encode(authorId, forKey: .authorId)
        try container.encode(parentId, forKey: .parentId)
        try container.encode(parentAuthorId, forKey: .parentAuthorId)
        try container.encode(mentions, forKey: .mentions)
        try container.encode(createdAt, forKey: .createdAt)
    }

    private enum CodingKeys: String, CodingKey {
        case commentId, postId, postAuthorId, authorId, parentId, parentAuthorId, mentions, createdAt
    }
}

/// The payload of ``CommentsEvent/deleted``.
public struct CommentDeleted: Codable, Hashable, Sendable {
    /// The comment.
    public var commentId: CommentID
    /// The post it was on.
    public var postId: PostID
    /// Who wrote the post.
    public var postAuthorId: UserID
    /// Who wrote the comment; `nil` when it was a placeholder already (a deleted comment kept for its replies).
    public var authorId: UserID?
    /// The top-level comment it replied to; `nil` for a top-level comment.
    public var parentId: CommentID?
    /// `true` when it stays as a placeholder (`"deleted": true`, no body, no author) because it has replies; `false`
    /// when the row is gone.
    public var placeholder: Bool

    /// A payload with every field given.
    public init(commentId: CommentID, postId: PostID, postAuthorId: UserID, authorId: UserID?, parentId: CommentID?, placeholder: Bool) {
        self.commentId = commentId
        self.postId = postId
        self.postAuthorId = postAuthorId
        self.authorId = authorId
        self.parentId = parentId
        self.placeholder = placeholder
    }

    // Written out so that absent ids are `null` rather than missing keys.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(commentId, forKey: .commentId)
        try container.encode(postId, forKey: .postId)
        try container.encode(postAuthorId, forKey: .postAuthorId)
        try container.encode(authorId, forKey: .authorId)
        try container.encode(parentId, forKey: .parentId)
        try container.encode(placeholder, forKey: .placeholder)
    }

    private enum CodingKeys: String, CodingKey {
        case commentId, postId, postAuthorId, authorId, parentId, placeholder
    }
}
