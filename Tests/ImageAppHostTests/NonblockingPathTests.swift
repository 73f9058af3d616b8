import Foundation
import ImageAppTesting
import Testing

/// The non-blocking fast path of ABI 1.7 through the test-redis fixture: `IA_WOULD_BLOCK` moves a step from the
/// event loop to a worker thread (a handler, and a middleware mid-chain), and `cache_peek` answers from a near cache
/// that deletions, invalidations and writes on another instance clear at once.
@Suite(.timeLimit(.minutes(12)))
struct NonblockingPathTests {
    /// A host with the fixture, its own Redis namespace and a long-lived near cache.
    private func withRedisHost(_ body: (TestHost) async throws -> Void) async throws {
        try await withHost(plugins: ["test-redis": ""], host: "cache_local_ttl_ms = 60000", database: false, body)
    }

    /// Polls `path` on `host` until `done` holds for the response (pub/sub delivery takes a moment).
    private func eventually(_ host: HostProcess, _ path: String, _ done: (HTTPResult) -> Bool) async throws -> HTTPResult {
        try await ImageAppTesting.eventually({ try await host.get(path) }, until: done)
    }

    @Test func wouldBlockMovesTheStepToAWorkerThread() async throws {
        try await withRedisHost { host in
            #expect(try await host.request("POST", "/api/v1/test/redis/cache?key=k&tag=t", body: Data("v1".utf8)).status == 204)

            // cache_set kept a copy in this process: answered on the event loop.
            let inline = try await host.get("/api/v1/test/redis/peek?key=k")
            #expect(inline.text == "v1")
            #expect(inline.headers["x-served"] == "memory")
            #expect(inline.headers["x-can-block"] == "0")
            #expect(inline.headers["x-middleware-thread"] == "loop")

            // The middleware must block: it and everything after it run on a worker thread, once.
            let moved = try await host.get("/api/v1/test/redis/peek?key=k", headers: ["X-Test-Block": "1"])
            #expect(moved.status == 200)
            #expect(moved.headers["x-middleware-thread"] == "worker")
            #expect(moved.headers["x-can-block"] == "1")

            // A miss on the event loop: the handler answers IA_WOULD_BLOCK and runs again where it may read Redis.
            let missing = try await host.get("/api/v1/test/redis/peek?key=absent")
            #expect(missing.status == 404)
        }
    }

    @Test func copiesGoWhenTheSubscriberMayHaveMissedAnInvalidation() async throws {
        try await withRedisHost { testHost in
            let host = testHost.process
            #expect(try await host.request("POST", "/api/v1/test/redis/cache?key=k&tag=t", body: Data("v1".utf8)).status == 204)
            #expect(try await host.get("/api/v1/test/redis/peek?key=k").headers["x-served"] == "memory")

            // A change whose announcement this process never hears (as if published while it was cut off): the value
            // replaced in Redis behind the cache's back. The copy in memory still answers.
            let valueKey = "\(testHost.resources.namespace):cache:key:k"
            #expect(RedisKeys.run(["SET", valueKey, "v2", "PX", "60000"]) == ["OK"])
            #expect(try await host.get("/api/v1/test/redis/peek?key=k").text == "v1")

            // The pub/sub connection drops and comes back: whatever was published in between is lost, so every copy
            // goes, and the next read comes from Redis.
            #expect(try await host.get("/metrics").text.contains("imageapp_pubsub_subscribed 1"))
            #expect(RedisKeys.killSubscribers(namespace: testHost.resources.namespace) == 1)
            let fresh = try await eventually(host, "/api/v1/test/redis/peek?key=k") { $0.text == "v2" }
            #expect(fresh.text == "v2")
            #expect(fresh.headers["x-served"] == "redis")
            // Copies are kept again once it is back; operators see the gap.
            #expect(try await eventually(host, "/api/v1/test/redis/peek?key=k") { $0.headers["x-served"] == "memory" }.text == "v2")
            let metrics = try await host.get("/metrics").text
            #expect(metrics.contains("imageapp_pubsub_gaps_total 1"), "\(metrics.split(separator: "\n").filter { $0.contains("pubsub") })")
            #expect(metrics.contains("imageapp_pubsub_subscribed 1"))
        }
    }

    @Test func nearCachesFollowChangesOnOtherInstances() async throws {
        try await withRedisHost { testHost in
            let first = testHost.process
            let second = try await testHost.startInstance()
            #expect(try await first.request("POST", "/api/v1/test/redis/cache?key=k&tag=t", body: Data("v1".utf8)).status == 204)

            // The second instance reads it from Redis once (on a worker thread), then from memory.
            let fromRedis = try await second.get("/api/v1/test/redis/peek?key=k")
            #expect(fromRedis.text == "v1")
            #expect(fromRedis.headers["x-served"] == "redis")
            #expect(fromRedis.headers["x-can-block"] == "1")
            let fromMemory = try await second.get("/api/v1/test/redis/peek?key=k")
            #expect(fromMemory.headers["x-served"] == "memory")
            #expect(fromMemory.headers["x-can-block"] == "0")

            // A new value written on the first instance replaces the second one's copy.
            #expect(try await first.request("POST", "/api/v1/test/redis/cache?key=k&tag=t", body: Data("v2".utf8)).status == 204)
            #expect(try await eventually(second, "/api/v1/test/redis/peek?key=k") { $0.text == "v2" }.text == "v2")
            // The writer keeps its own fresh copy.
            #expect(try await first.get("/api/v1/test/redis/peek?key=k").headers["x-served"] == "memory")

            // Invalidating the tag on the first instance empties the second one's memory too.
            #expect(try await second.get("/api/v1/test/redis/peek?key=k").headers["x-served"] == "memory")
            #expect(try await first.request("POST", "/api/v1/test/redis/invalidate?tag=t").status == 204)
            #expect(try await eventually(second, "/api/v1/test/redis/peek?key=k") { $0.status == 404 }.status == 404)
            #expect(try await first.get("/api/v1/test/redis/peek?key=k").status == 404)
        }
    }
}
