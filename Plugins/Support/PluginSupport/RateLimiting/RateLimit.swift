/// A fixed-window limit: at most `limit` hits per `windowSeconds`, counted in Redis so every instance shares it.
public struct RateLimit: Hashable, Sendable {
    /// The setting's name, also the key's middle part (`login_per_ip`).
    public var name: String
    /// Hits allowed per window.
    public var limit: Int
    /// The window's length.
    public var windowSeconds: Int

    /// A limit of `limit` hits per `windowSeconds`, keyed under `name`.
    public init(name: String, limit: Int, windowSeconds: Int) {
        self.name = name
        self.limit = limit
        self.windowSeconds = windowSeconds
    }
}
