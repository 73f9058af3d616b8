/// A fixed-window limit: at most `limit` hits per `windowSeconds`, counted in Redis so every instance shares it.
struct RateLimit: Sendable {
    /// The setting's name, also the key's middle part (`login_per_ip`).
    var name: String
    var limit: Int
    var windowSeconds: Int
}
