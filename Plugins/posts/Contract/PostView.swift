public import AuthContract
public import MediaContract
public import ProfilesContract

/// The shared post shape (PRODUCT.md, "Resource shapes"): what the API answers and ``PostsQuery/views`` returns.
public struct PostView: Codable, Hashable, Sendable {
    public var id: PostID
    public var author: UserSummary
    /// May be empty.
    public var caption: String
    /// Lowercased, in order of first appearance.
    public var tags: [String]
    public var mentions: [Mention]
    /// 1–10, in display order.
    public var media: [MediaView]
    public var likeCount: Int64
    public var commentCount: Int64
    /// Whether the viewer likes it; `false` for anonymous viewers (and until a likes plugin says otherwise).
    public var liked: Bool
    /// RFC 3339.
    public var createdAt: String
    /// RFC 3339; `nil` until the first edit.
    public var editedAt: String?

    /// A post with every field given.
    public init(
        id: PostID,
        author: UserSummary,
        caption: String,
        tags: [String],
        mentions: [Mention],
        media: [MediaView],
        likeCount: Int64,
        commentCount: Int64,
        liked: Bool,
        createdAt: String,
        editedAt: String?
    ) {
        self.id = id
        self.author = author
        self.caption = caption
        self.tags = tags
        self.mentions = mentions
        self.media = media
        self.likeCount = likeCount
        self.commentCount = commentCount
        self.liked = liked
        self.createdAt = createdAt
        self.editedAt = editedAt
    }

    // Written out so that `edited_at` is `null` rather than missing.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(author, forKey: .author)
        try container.encode(caption, forKey: .caption)
        try container.encode(tags, forKey: .tags)
        try container.encode(mentions, forKey: .mentions)
        try container.encode(media, forKey: .media)
        try container.encode(likeCount, forKey: .likeCount)
        try container.encode(commentCount, forKey: .commentCount)
        try container.encode(liked, forKey: .liked)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(editedAt, forKey: .editedAt)
    }

    private enum CodingKeys: String, CodingKey {
        case id, author, caption, tags, mentions, media, likeCount, commentCount, liked, createdAt, editedAt
    }
}

/// The payload of ``PostsQuery/views``: `{"post_ids", "viewer_id"}`.
public struct PostViewsInput: Codable, Hashable, Sendable {
    public var postIds: [PostID]
    /// Who looks: `liked` is theirs; `nil` for an anonymous viewer.
    public var viewerId: UserID?

    public init(postIds: [PostID], viewerId: UserID?) {
        self.postIds = postIds
        self.viewerId = viewerId
    }
}

/// The result of ``PostsQuery/views``: `{"items": [post]}`.
public struct PostList: Codable, Hashable, Sendable {
    public var items: [PostView]

    public init(items: [PostView]) {
        self.items = items
    }
}

/// The result of ``PostsQuery/authors``: `{"items": [{"post_id", "author_id"}]}`.
public struct PostAuthors: Codable, Hashable, Sendable {
    /// One post's author.
    public struct Item: Codable, Hashable, Sendable {
        public var postId: PostID
        public var authorId: UserID

        public init(postId: PostID, authorId: UserID) {
            self.postId = postId
            self.authorId = authorId
        }
    }

    public var items: [Item]

    public init(items: [Item]) {
        self.items = items
    }
}
