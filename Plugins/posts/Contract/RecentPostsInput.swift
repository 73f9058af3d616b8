public import AuthContract
public import MediaContract

/// The payload of ``PostsQuery/recentByAuthors``: `{"author_ids", "before", "limit"}`.
public struct RecentPostsInput: Codable, Hashable, Sendable {
    /// Whose posts; `nil` for everyone's. At most ``PostsLimits/authorsPerQuery``.
    public var authorIds: [UserID]?
    /// Only posts older than this one (smaller ids); `nil` for the newest.
    public var before: PostID?
    /// At most this many ids (1 to ``PostsLimits/recentPostsPerQuery``).
    public var limit: Int

    public init(authorIds: [UserID]?, before: PostID?, limit: Int) {
        self.authorIds = authorIds
        self.before = before
        self.limit = limit
    }
}
