/// The payload of `trending.score_posts`.
struct PostScoring: Codable, Sendable {
    var windowHours: Int
    var halfLifeMinutes: Int
    var commentWeight: Double
    var limit: Int
}
