/// The payload of `trending.prune`.
struct PruneInput: Codable, Sendable {
    var windowHours: Int
    var tagDays: Int
}
