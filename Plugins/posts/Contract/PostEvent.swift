public import AuthContract
public import MediaContract

/// The payload of ``PostsEvent/created``, ``PostsEvent/updated`` and ``PostsEvent/deleted``: what a feed or a
/// notification needs without asking back.
public struct PostEvent: Codable, Hashable, Sendable {
    /// The post.
    public var postId: PostID
    /// Its author.
    public var authorId: UserID
    /// Its hashtags, lowercased.
    public var tags: [String]
    /// The users its caption mentions (resolved at the time).
    public var mentions: [Mention]
    /// Its media, in display order.
    public var mediaIds: [MediaID]
    /// RFC 3339: when the post was published.
    public var createdAt: String

    /// A payload with every field given.
    public init(postId: PostID, authorId: UserID, tags: [String], mentions: [Mention], mediaIds: [MediaID], createdAt: String) {
        self.postId = postId
        self.authorId = authorId
        self.tags = tags
        self.mentions = mentions
        self.mediaIds = mediaIds
        self.createdAt = createdAt
    }
}

/// A mentioned user: `{"id", "handle"}`.
public struct Mention: Codable, Hashable, Sendable {
    /// The user.
    public var id: UserID
    /// Their handle when mentioned.
    public var handle: String

    /// A mention of `id`.
    public init(id: UserID, handle: String) {
        self.id = id
        self.handle = handle
    }
}
