/// The result of `trending.score_tags`, also what `GET /api/v1/tags/trending` shows.
struct ScoredTags: Codable, Sendable {
    struct Item: Codable, Sendable {
        var tag: String
        /// Distinct accounts that used the hashtag today.
        var accounts: Int64
        var score: Double
    }

    var items: [Item]
}
