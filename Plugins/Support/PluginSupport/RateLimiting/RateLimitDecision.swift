public import ImageAppPlugin

/// What a rate limiter said about one hit.
public struct RateLimitDecision: Sendable {
    /// The limit the hit was counted against.
    public var limit: RateLimit
    /// Hits counted in the current window, this one included.
    public var count: Int
    /// Seconds until the window ends.
    public var resetSeconds: Int

    /// What the limiter decided.
    public init(limit: RateLimit, count: Int, resetSeconds: Int) {
        self.limit = limit
        self.count = count
        self.resetSeconds = resetSeconds
    }

    /// Whether the hit is within the limit.
    public var isAllowed: Bool { count <= limit.limit }

    /// 429 `rate_limited` with `Retry-After` and the `RateLimit-*` headers (IETF draft "RateLimit header fields").
    public var error: HTTPError {
        HTTPError(
            status: 429,
            code: "rate_limited",
            message: "Too many attempts; try again in \(resetSeconds) seconds.",
            headers: [
                "Retry-After": String(resetSeconds),
                "RateLimit-Limit": String(limit.limit),
                "RateLimit-Remaining": "0",
                "RateLimit-Reset": String(resetSeconds),
                "RateLimit-Policy": "\(limit.limit);w=\(limit.windowSeconds)",
            ]
        )
    }
}
