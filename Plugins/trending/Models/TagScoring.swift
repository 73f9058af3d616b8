/// The payload of `trending.score_tags`.
struct TagScoring: Codable, Sendable {
    var baselineDays: Int
    var halfLifeMinutes: Int
    var minAccounts: Int
    var smoothing: Double
    var limit: Int
}
