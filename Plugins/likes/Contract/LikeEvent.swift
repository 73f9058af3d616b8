public import AuthContract
public import MediaContract

/// The payload of ``LikesEvent/created`` and ``LikesEvent/deleted``.
public struct LikeEvent: Codable, Hashable, Sendable {
    /// The post.
    public var postId: PostID
    /// Its author (whom a notification is for).
    public var postAuthorId: UserID
    /// Who liked it.
    public var userId: UserID

    public init(postId: PostID, postAuthorId: UserID, userId: UserID) {
        self.postId = postId
        self.postAuthorId = postAuthorId
        self.userId = userId
    }
}
