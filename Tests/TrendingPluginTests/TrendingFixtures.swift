import Foundation
import ImageAppTesting

/// A host with posts, likes, comments and trending (as `withPosts` makes it, with room for more than five sign-ups
/// from one address); the trending job runs every 300 ms.
func withTrending(_ body: (AccountsHost) async throws -> Void) async throws {
    try await withAccounts(
        auth: "signup_per_ip_limit = 1000\n",
        plugins: { resources in
            """
            [plugins.media]
            enabled = true

            [plugins.posts]
            enabled = true
            redis_prefix = "\(resources.namespace):posts"

            [plugins.likes]
            enabled = true
            flush_interval_ms = 500
            redis_prefix = "\(resources.namespace):likes"

            [plugins.comments]
            enabled = true

            [plugins.trending]
            enabled = true
            interval_ms = 300
            redis_prefix = "\(resources.namespace):trending"
            """
        },
        body
    )
}

extension AccountsHost {
    /// `POST /api/v1/posts/{post}/comments`; fails the test unless it is created.
    func comment(token: String, on post: String, _ body: String) async throws {
        let response = try await send("POST", "/api/v1/posts/\(post)/comments", json: ["body": body], token: token)
        guard response.status == 201 else { throw HostProcessError(message: "comment: \(response.status) \(response.text)") }
    }

    /// `PUT /api/v1/posts/{post}/like`; fails the test unless it answers 200.
    func like(token: String, _ post: String) async throws {
        let response = try await send("PUT", "/api/v1/posts/\(post)/like", token: token)
        guard response.status == 200 else { throw HostProcessError(message: "like: \(response.status) \(response.text)") }
    }

    /// The ids of one page of `GET /api/v1/feed/trending` and its `next_cursor`.
    func trendingPage(limit: Int = 20, cursor: String? = nil, token: String? = nil) async throws -> (ids: [String], next: String?) {
        var path = "/api/v1/feed/trending?limit=\(limit)"
        if let cursor { path += "&cursor=\(cursor)" }
        let response = try await send("GET", path, token: token)
        guard response.status == 200 else { throw HostProcessError(message: "trending: \(response.status) \(response.text)") }
        let items = response.json["items"] as? [[String: Any]] ?? []
        return (items.compactMap { $0["id"] as? String }, response.json["next_cursor"] as? String)
    }

    /// The members of the current trending posts set in Redis, best first.
    func rankedInRedis() -> [String] {
        let prefix = "\(namespace):trending"
        guard let generation = RedisKeys.run(["GET", "\(prefix):current"])?.first ?? nil else { return [] }
        return (RedisKeys.run(["ZREVRANGE", "\(prefix):posts:\(generation)", "0", "-1"]) ?? []).compactMap { $0 }
    }

    /// Runs SQL on the test's database.
    func sql(_ statement: String) throws {
        _ = try PostgresProbe.execute(database.url, statement)
    }

    /// The first column of a query's rows.
    func strings(_ query: String) throws -> [String] {
        try PostgresProbe.strings(database.url, query)
    }
}

/// A score as README.md ("Trending") defines it: each like 2^(−age / 120 min), each comment twice that.
func expectedScore(likeAges: [Double], commentAges: [Double], halfLife: Double = 120, commentWeight: Double = 2) -> Double {
    likeAges.reduce(0) { $0 + pow(2, -$1 / halfLife) } + commentWeight * commentAges.reduce(0) { $0 + pow(2, -$1 / halfLife) }
}
