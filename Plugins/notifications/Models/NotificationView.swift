import AuthContract
import CommentsContract
import MediaContract
import ProfilesContract

/// A notification as the API answers and pushes it (PRODUCT.md, "Notification"): `{"id", "type", "actors",
/// "actor_count", "post", "comment_id", "created_at", "read"}`.
struct NotificationView: Codable, Sendable {
    /// The post a notification is about: `{"id", "preview_url"}`.
    struct Post: Codable, Sendable {
        var id: PostID
        /// The first image's 640 px variant.
        var previewUrl: String?

        // Written out so that a missing preview is `null`.
        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(id, forKey: .id)
            try container.encode(previewUrl, forKey: .previewUrl)
        }

        private enum CodingKeys: String, CodingKey {
            case id, previewUrl
        }
    }

    /// A string, like every id of the API.
    var id: String
    var type: NotificationType
    /// Newest first, at most three.
    var actors: [UserSummary]
    /// Everyone behind it (not banned).
    var actorCount: Int64
    var post: Post?
    var commentId: CommentID?
    /// RFC 3339: the last activity (the newest actor's).
    var createdAt: String
    var read: Bool

    // Written out so that `post` and `comment_id` are `null` rather than missing.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(type, forKey: .type)
        try container.encode(actors, forKey: .actors)
        try container.encode(actorCount, forKey: .actorCount)
        try container.encode(post, forKey: .post)
        try container.encode(commentId, forKey: .commentId)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(read, forKey: .read)
    }

    private enum CodingKeys: String, CodingKey {
        case id, type, actors, actorCount, post, commentId, createdAt, read
    }
}

/// `{"count"}`: the unread notifications.
struct UnreadCount: Codable, Sendable {
    var count: Int64
}

/// `{"post_id", "like_count", "comment_count"}`: the `post.counts` realtime message.
struct PostCounts: Codable, Sendable {
    var postId: PostID
    var likeCount: Int64
    var commentCount: Int64
}
