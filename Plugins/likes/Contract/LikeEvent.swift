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

    /// The payload as the SDK's encoder writes it (sorted snake_case keys, IDs as strings), written directly:
    /// `likes.apply` raises one per like of a batch, and the encoder was a tenth of a busy server's CPU.
    public var json: String {
        "{\"post_author_id\":\"\(postAuthorId.value)\",\"post_id\":\"\(postId.value)\",\"user_id\":\"\(userId.value)\"}"
    }
}
