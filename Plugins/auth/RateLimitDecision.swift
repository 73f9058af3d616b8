import ImageAppPlugin

/// What a rate limiter said about one hit.
struct RateLimitDecision: Sendable {
    var limit: RateLimit
    /// Hits counted in the current window, this one included.
    var count: Int
    /// Seconds until the window ends.
    var resetSeconds: Int

    var isAllowed: Bool { count <= limit.limit }

    /// 429 `rate_limited` with `Retry-After` and the `RateLimit-*` headers (IETF draft "RateLimit header fields").
    var error: HTTPError {
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
