import ImageAppPlugin
import PluginSupport
import Testing

/// The GCRA script's arguments and how its reply becomes a decision and headers (the script itself runs against
/// real Redis in RateLimitPluginTests).
struct GCRATests {
    let general = GCRA.Check(key: "rl:a:1", limit: RateLimit(name: "anonymous", limit: 300, windowSeconds: 300))
    let uploads = GCRA.Check(key: "rl:uploads:a:1", limit: RateLimit(name: "uploads", limit: 30, windowSeconds: 1800))

    @Test func argumentsAreKeysThenIntervalAndLimitPerCheck() {
        let (keys, arguments) = GCRA.arguments([general, uploads])
        #expect(keys == ["rl:a:1", "rl:uploads:a:1"])
        #expect(arguments == ["1000", "300", "60000", "30"])
    }

    @Test func theTightestLimitNamesTheHeaders() throws {
        let reply = RedisValue.array([.integer(1), .integer(0), .integer(250), .integer(50_000), .integer(4), .integer(1_560_001)])
        let decision = try #require(GCRA.decision(reply, checks: [general, uploads]))
        #expect(decision.allowed)
        #expect(decision.limit == 30)
        #expect(decision.remaining == 4)
        #expect(decision.resetSeconds == 1561)
        #expect(decision.headers.map(\.name) == ["RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset", "RateLimit-Policy"])
        #expect(decision.headers.last?.value == "30;w=1800")
    }

    @Test func aRefusalCarriesRetryAfterRoundedUp() throws {
        let reply = RedisValue.array([.integer(0), .integer(1_001), .integer(0), .integer(300_000)])
        let decision = try #require(GCRA.decision(reply, checks: [general]))
        #expect(!decision.allowed)
        #expect(decision.retryAfterSeconds == 2)
        #expect(decision.error.status == 429)
        #expect(decision.error.headers["Retry-After"] == "2")
    }

    @Test func repliesOfAnotherShapeAreNoDecision() {
        #expect(GCRA.decision(.error("NOSCRIPT"), checks: [general]) == nil)
        #expect(GCRA.decision(.array([.integer(1), .integer(0)]), checks: [general]) == nil)
        #expect(GCRA.decision(.array([.integer(1), .integer(0), .string([]), .integer(1)]), checks: [general]) == nil)
    }
}
