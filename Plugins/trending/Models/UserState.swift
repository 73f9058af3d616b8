/// The payload of `trending.set_user`.
struct UserState: Codable, Sendable {
    /// How an account counts.
    enum State: String, Codable, Sendable {
        case visible, banned, deleted
    }

    var userId: Int64
    var state: State
}
