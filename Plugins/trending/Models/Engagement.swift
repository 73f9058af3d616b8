/// What counts for a post: the payload of `trending.record_engagement` and `trending.remove_engagement`.
struct Engagement: Codable, Sendable {
    /// A like or a comment.
    enum Kind: Int, Codable, Sendable {
        case like = 1
        case comment = 2
    }

    var postId: Int64
    var kind: Kind
    /// Who liked (a like), or the comment.
    var ref: Int64
    var userId: Int64
    /// RFC 3339: when (`nil`: now).
    var at: String?
}
