/// A post as the tables keep it: the payload of `trending.record_post` and `trending.delete_post`.
struct TrackedPost: Codable, Sendable {
    var postId: Int64
    var authorId: Int64
    var tags: [String]
    /// RFC 3339.
    var createdAt: String
}
