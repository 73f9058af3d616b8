import Foundation
import ImageAppTesting
import Testing

/// The `ratelimit` plugin over HTTP with real Redis: budgets per address and per user, shared by two instances,
/// `X-Forwarded-For` believed only from trusted proxies, the upload class, scripts reloaded after a flush, and requests
/// let through when Redis is gone.
@Suite(.timeLimit(.minutes(12)))
struct RateLimitTests {
    /// Accounts plus the limiter with small budgets; `extra` goes into `[plugins.ratelimit]`.
    private func withLimitedAccounts(
        anonymous: Int = 3,
        user: Int = 5,
        uploads: Int = 2,
        host hostLines: String = "",
        _ body: (AccountsHost) async throws -> Void
    ) async throws {
        try await withAccounts(
            host: hostLines,
            plugins: { resources in
                """
                [plugins.ratelimit]
                enabled = true
                redis_prefix = "\(resources.namespace):rl"
                anonymous_limit = \(anonymous)
                user_limit = \(user)
                uploads_limit = \(uploads)
                """
            }
        ) { accounts in
            try await body(accounts)
        }
    }

    @Test func anonymousCallersGetTheHeadersThen429() async throws {
        try await withLimitedAccounts(anonymous: 3) { accounts in
            var remaining: [String?] = []
            for _ in 0..<3 {
                let response = try await accounts.host.get("/api/v1/users/nobody")
                #expect(response.status == 404)
                #expect(response.headers["ratelimit-limit"] == "3")
                #expect(response.headers["ratelimit-policy"] == "3;w=300")
                remaining.append(response.headers["ratelimit-remaining"])
            }
            #expect(remaining == ["2", "1", "0"])
            let refused = try await accounts.host.get("/api/v1/users/nobody")
            #expect(refused.status == 429)
            #expect(refused.errorCode == "rate_limited")
            let retry = try #require(refused.headers["retry-after"].flatMap(Int.init))
            #expect((1...100).contains(retry), "one request every 100 s at 3 per 300 s")
            #expect(refused.headers["ratelimit-remaining"] == "0")
            // The host's own routes are never limited.
            for path in ["/healthz", "/metrics", "/api/v1/openapi.json"] {
                #expect(try await accounts.host.get(path).status == 200, "\(path)")
            }
            // Nor are stored media files: static, and a page shows dozens (a missing one is still answered 404).
            for _ in 0..<5 {
                let media = try await accounts.host.get("/media/avatars/none.webp")
                #expect(media.status == 404)
                #expect(media.headers["ratelimit-limit"] == nil)
            }
        }
    }

    @Test func theBudgetIsSharedByInstancesAndSpoofedForwardingIsIgnored() async throws {
        try await withLimitedAccounts(anonymous: 4) { accounts in
            let second = try await accounts.startInstance()
            // Without trusted proxies, X-Forwarded-For is the client's word: it does not make a new budget.
            var statuses: [Int] = []
            for index in 0..<6 {
                let host = index.isMultiple(of: 2) ? accounts.host : second
                statuses.append(try await host.get("/api/v1/users/nobody", headers: ["X-Forwarded-For": "203.0.113.\(index)"]).status)
            }
            #expect(statuses == [404, 404, 404, 404, 429, 429])
        }
    }

    @Test func signedInCallersSpendTheirOwnBudgetAndUploadsAnother() async throws {
        try await withLimitedAccounts(anonymous: 2, user: 6, uploads: 2) { accounts in
            let (token, _, _) = try await accounts.register("limited")
            let (other, _, _) = try await accounts.register("unlimited")
            // Registration spent the address's anonymous budget; signed in, each user has their own.
            #expect(try await accounts.host.get("/api/v1/users/nobody").status == 429)
            let me = try await accounts.send("GET", "/api/v1/me", token: token)
            #expect(me.status == 200)
            #expect(me.headers["ratelimit-limit"] == "6")
            // Uploads spend the upload budget too (checked before the avatar is even read).
            var uploads: [Int] = []
            for _ in 0..<3 {
                uploads.append(try await accounts.host.request("PUT", "/api/v1/me/avatar", headers: ["Authorization": "Bearer \(token)"]).status)
            }
            #expect(uploads.prefix(2).allSatisfy { $0 != 429 }, "\(uploads)")
            #expect(uploads.last == 429)
            #expect(try await accounts.send("GET", "/api/v1/me", token: other).status == 200)
        }
    }

    @Test func scriptsComeBackAfterAFlushAndRedisDownFailsOpen() async throws {
        try await withLimitedAccounts(anonymous: 100) { accounts in
            let first = try await accounts.host.get("/api/v1/users/nobody")
            #expect(first.headers["ratelimit-remaining"] == "99")
            let flushed = RedisKeys.run(["SCRIPT", "FLUSH"])
            #expect(flushed != nil)
            // Checked, not let through: the headers are there (the budget refills 1 per 3 s, so the count may be back).
            let second = try await accounts.host.get("/api/v1/users/nobody")
            #expect(["98", "99"].contains(second.headers["ratelimit-remaining"]))
            let metrics = try await accounts.host.get("/metrics").text
            #expect(!metrics.contains("imageapp_ratelimit_fail_open_total 1"))
        }
        // A limiter whose Redis is gone lets requests through and counts them.
        try await withHost(
            plugins: ["example-c": "", "ratelimit": "anonymous_limit = 1"],
            host: "redis_url = \"redis://127.0.0.1:1/0\"\nredis_async_timeout_ms = 100\n",
            database: false,
            redis: false
        ) { host in
            for _ in 0..<3 { #expect(try await host.get("/api/v1/examples/c/hello").status == 200) }
            let metrics = try await host.get("/metrics").text
            #expect(metrics.contains("imageapp_ratelimit_fail_open_total 3"), "\(metrics.split(separator: "\n").filter { $0.contains("ratelimit") })")
        }
    }
}
