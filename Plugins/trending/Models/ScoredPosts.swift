/// The result of `trending.score_posts`.
struct ScoredPosts: Codable, Sendable {
    struct Item: Codable, Sendable {
        var postId: Int64
        var score: Double
    }

    var items: [Item]
}
