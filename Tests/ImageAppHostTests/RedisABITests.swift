import CImageAppPlugin
import Foundation
import ImageAppTesting
import Testing

@testable import ImageAppHost

/// The Redis slots of the ABI (1.5) through the test-redis fixture, against the real Redis.
@Suite(.timeLimit(.minutes(12)))
struct RedisABITests {
    let namespace = "test-redis-abi-\(UUID().uuidString.prefix(12).lowercased())"

    func config(channel: String) -> String {
        """
        [host]
        log_level = "warning"
        redis_url = "\(EventTests.redisURL)"
        redis_namespace = "\(namespace)"

        [plugins.test-redis]
        enabled = true
        channel = "\(channel)"
        """
    }

    @Test func commandsArePipelinedBinarySafeAndErrorRepliesAreAnswers() async throws {
        let host = try await HostProcess.start(config: config(channel: "\(namespace):unused"))
        defer { Task { await host.stop() } }
        let bytes = Data((0...255).map(UInt8.init) + (0...255).map(UInt8.init))
        let response = try await host.request("POST", "/api/v1/test/redis/roundtrip?key=\(namespace):k", body: bytes)
        #expect(response.status == 200)
        #expect(response.body == bytes)
        #expect(response.headers["x-incr"] == "3")
        #expect(response.headers["x-error-type"] == "6")  // IA_REDIS_ERROR
        #expect(response.headers["x-error-status"] == "\(IA_ERR_REDIS_REPLY)")  // the plugin declares ABI 1.8
        let redis = try RedisConnection(url: RedisURL(EventTests.redisURL))
        _ = try redis.command("DEL", "\(namespace):k", "\(namespace):k:counter")
    }

    @Test func cacheValuesExpireAndTagsInvalidateTogether() async throws {
        let host = try await HostProcess.start(config: config(channel: "\(namespace):unused"))
        defer { Task { await host.stop() } }
        for (key, tag) in [("a", "red"), ("b", "red"), ("c", "blue")] {
            let put = try await host.request("POST", "/api/v1/test/redis/cache?key=\(key)&tag=\(tag)", body: Data("value-\(key)".utf8))
            #expect(put.status == 204)
        }
        #expect(try await host.get("/api/v1/test/redis/cache?key=a").text == "value-a")
        #expect(try await host.request("POST", "/api/v1/test/redis/invalidate?tag=red").status == 204)
        #expect(try await host.get("/api/v1/test/redis/cache?key=a").status == 404)
        #expect(try await host.get("/api/v1/test/redis/cache?key=b").status == 404)
        #expect(try await host.get("/api/v1/test/redis/cache?key=c").text == "value-c")
        // A short TTL expires.
        #expect(try await host.request("POST", "/api/v1/test/redis/cache?key=d&tag=x&ttl=150", body: Data("soon".utf8)).status == 204)
        #expect(try await eventually({ try await host.get("/api/v1/test/redis/cache?key=d").status }) { $0 == 404 } == 404)
    }

    @Test func subscribedPluginsReceivePublishedMessages() async throws {
        let channel = "\(namespace):news"
        let host = try await HostProcess.start(config: config(channel: channel))
        defer { Task { await host.stop() } }
        let redis = try RedisConnection(url: RedisURL(EventTests.redisURL))
        var attempt = 0
        let received = try await eventually(
            interval: .milliseconds(100),
            { () async throws -> [String] in
                // Publish until the subscription is live (it starts right after the plugins).
                if attempt % 5 == 0 { _ = try redis.command("PUBLISH", channel, "hello-\(attempt)") }
                attempt += 1
                return (try JSONSerialization.jsonObject(with: try await host.get("/api/v1/test/redis/messages").body) as? [String]) ?? []
            }
        ) { !$0.isEmpty }
        #expect(received.first?.hasPrefix("hello-") == true)
    }
}
