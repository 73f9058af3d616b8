import Foundation
import ImageAppTesting
import Testing

@testable import ImageAppHost

/// The Swift SDK's events (ABI 1.2) and jobs (ABI 1.3), with the test-swift-data fixture: its add command raises
/// `swift.item_added`, the worker handler "seen" records each event through a command keyed on the event id, and
/// the job "sweep" records its runs. Each test has its own database, event stream and Redis namespace.
@Suite(.timeLimit(.minutes(12)))
struct SwiftEventsJobsTests {
    struct Setup {
        let database: (name: String, url: String)
        let stream = "test:swift-events:\(UUID().uuidString.prefix(12).lowercased())"
        let namespace = "test-swift-jobs-\(UUID().uuidString.prefix(12).lowercased())"

        init() throws { database = try TestDatabase.fresh() }

        func config(plugin: String = "") -> String {
            """
            [host]
            log_level = "warning"
            database_url = "\(database.url)"
            redis_url = "\(TestRedis.url)"
            events_stream = "\(stream)"
            redis_namespace = "\(namespace)"
            event_retry_base_seconds = 0.05

            [plugins.test-swift-data]
            enabled = true
            \(plugin)
            """
        }

        /// The rows of `sql`, each as its columns' text ("" for NULL).
        func rows(_ sql: String) throws -> [[String]] {
            let connection = try PostgresConnection(url: database.url)
            let result = try connection.query(sql)
            return (0..<result.rowCount).map { row in (0..<result.columnCount).map { result.string(row, $0) ?? "" } }
        }

        /// (event_id, name, attempt) of every event the "seen" handler recorded.
        func seen() throws -> [(eventID: String, name: String, attempt: String)] {
            try rows("SELECT event_id, name, attempt FROM test_swift_data_seen ORDER BY event_id")
                .map { ($0[0], $0[1], $0[2]) }
        }

        /// Polls `value` until `condition` holds for it, or records an issue after `timeout`.
        func waitFor<Value>(
            timeout: Duration = .seconds(10),
            _ value: () async throws -> Value,
            until condition: (Value) -> Bool
        ) async throws -> Value {
            let last = try await eventually(timeout: timeout, interval: .milliseconds(100), value, until: condition)
            if !condition(last) { Issue.record("the condition never held; last: \(last)") }
            return last
        }

        func tearDown() {
            TestDatabase.drop(database.name)
            if let url = try? RedisURL(TestRedis.url), let redis = try? RedisConnection(url: url) {
                _ = try? redis.command(
                    "DEL",
                    stream,
                    stream + ":dead",
                    stream + ":family:swift",
                    stream + ":family-since",
                    "\(namespace):job:test-swift-data.sweep"
                )
            }
        }
    }

    private func add(_ host: HostProcess, _ name: String) async throws -> HTTPResult {
        try await host.request(
            "POST",
            "/api/v1/test/swift-data/items",
            headers: ["Content-Type": "application/json"],
            body: Data(#"{"name":"\#(name)"}"#.utf8)
        )
    }

    @Test func anAddedItemsEventReachesTheWorkerHandlerOnce() async throws {
        let setup = try Setup()
        defer { setup.tearDown() }
        let host = try await HostProcess.start(config: setup.config())
        defer { Task { await host.stop() } }

        let created = try await add(host, "first")
        #expect(created.status == 201, "\(created.text)")
        let seen = try await setup.waitFor(setup.seen) { !$0.isEmpty }
        #expect(seen.map(\.name) == ["first"])
        #expect(seen.map(\.attempt) == ["1"])

        // The event as the command raised it (encoded with snake_case keys), committed with the item.
        let outbox = try setup.rows("SELECT event_id, type, payload, source FROM ia_outbox")
        #expect(outbox.count == 1)
        #expect(outbox.first?[1] == "swift.item_added")
        #expect(outbox.first?[2] == #"{"id":"1","name":"first"}"#)
        #expect(outbox.first?[3] == "test-swift-data")
        #expect(outbox.first?[0] == seen.first?.eventID)

        // Acknowledged: nothing pending for the handler's consumer group on its family's stream, and no second delivery.
        let gauge = #"imageapp_event_stream_pending{group="test-swift-data.seen",stream="\#(setup.stream):family:swift"} 0"#
        let metrics = try await setup.waitFor({ try await host.get("/metrics").text }) { $0.contains(gauge) }
        #expect(metrics.contains(gauge))
        try await Task.sleep(for: .milliseconds(500))
        #expect(try setup.seen().count == 1)

        // Four migrations now; without job_interval_ms there is no job.
        let migrations = try setup.rows(
            "SELECT version || ':' || name FROM ia_migrations WHERE plugin = 'test-swift-data' ORDER BY version"
        )
        #expect(migrations.map { $0[0] } == ["1:create_items", "2:create_counter", "3:create_seen", "4:create_sweeps"])
        #expect(try setup.rows("SELECT count(*) FROM test_swift_data_sweeps").first?.first == "0")
    }

    @Test func aCommandThatFailsAfterRaisingDeliversNothing() async throws {
        let setup = try Setup()
        defer { setup.tearDown() }
        let host = try await HostProcess.start(config: setup.config())
        defer { Task { await host.stop() } }

        let refused = try await add(host, "fail-after-raise")
        #expect(refused.status == 422, "\(refused.text)")
        #expect(refused.errorCode == "failed_after_raise")
        #expect(try await add(host, "kept").status == 201)

        // The later event arrives; the refused command's event was rolled back with its insert.
        let seen = try await setup.waitFor(setup.seen) { $0.contains { $0.name == "kept" } }
        #expect(seen.map(\.name) == ["kept"])
        try await Task.sleep(for: .milliseconds(500))
        #expect(try setup.seen().map(\.name) == ["kept"])
        let outbox = try setup.rows("SELECT payload FROM ia_outbox").map { $0[0] }
        #expect(outbox.count == 1)
        #expect(outbox.allSatisfy { !$0.contains("fail-after-raise") }, "\(outbox)")
    }

    @Test func aThrowingHandlerIsRetriedThenDeadLettered() async throws {
        let setup = try Setup()
        defer { setup.tearDown() }
        let host = try await HostProcess.start(config: setup.config())
        defer { Task { await host.stop() } }
        #expect(try await add(host, "poison-pill").status == 201)

        // maxAttempts: 3 on the handler (the host's default is 5): three deliveries, then the dead-letter stream,
        // with the error the handler threw.
        let redis = try RedisConnection(url: RedisURL(TestRedis.url))
        let dead = try await setup.waitFor({
            try redis.command("XRANGE", setup.stream + ":dead", "-", "+").array ?? []
        }) { !$0.isEmpty }
        #expect(dead.count == 1)
        let fields = dead.first?.array?.last?.array?.compactMap(\.stringValue) ?? []
        var values: [String: String] = [:]
        for index in stride(from: 0, to: fields.count - 1, by: 2) { values[fields[index]] = fields[index + 1] }
        #expect(values["group"] == "test-swift-data.seen")
        #expect(values["type"] == "swift.item_added")
        #expect(values["attempts"] == "3")
        #expect(values["error"] == "poison items always fail (test fixture)")
        #expect(try setup.seen().isEmpty)
    }

    @Test func theJobRunsRepeatedly() async throws {
        let setup = try Setup()
        defer { setup.tearDown() }
        let host = try await HostProcess.start(config: setup.config(plugin: "job_interval_ms = 300"))
        defer { Task { await host.stop() } }

        let runs = try await setup.waitFor({
            try setup.rows("SELECT job, interval_ms, started_at_ms FROM test_swift_data_sweeps ORDER BY started_at_ms")
        }) { $0.count >= 2 }
        #expect(runs.count >= 2, "runs: \(runs)")
        #expect(runs.allSatisfy { $0[0] == "test-swift-data.sweep" && $0[1] == "300" }, "\(runs)")
        // One interval from one run's start to the next one's (a little less only through clock rounding).
        let starts = runs.compactMap { Int64($0[2]) }
        for (earlier, later) in zip(starts, starts.dropFirst()) {
            #expect(later - earlier >= 250, "runs started \(later - earlier) ms apart")
        }
    }
}

/// The Swift SDK's wrappers for blob storage, Redis and the cache (ABI 1.4, 1.5).
@Suite(.timeLimit(.minutes(12)))
struct SwiftServicesTests {
    @Test func blobRedisAndCacheWrappersRoundTrip() async throws {
        let database = try TestDatabase.fresh()
        defer { TestDatabase.drop(database.name) }
        let namespace = "test-swift-services-\(UUID().uuidString.prefix(8).lowercased())"
        let config = """
            [host]
            log_level = "warning"
            database_url = "\(database.url)"
            redis_url = "\(TestRedis.url)"
            redis_namespace = "\(namespace)"

            [plugins.storage-fs]
            enabled = true
            root = "\(try TemporaryDirectory.make())"

            [plugins.test-swift-data]
            enabled = true
            """
        let host = try await HostProcess.start(config: config)
        defer { Task { await host.stop() } }
        let body = Data("bytes \u{0}\u{1} and text".utf8)
        let response = try await host.request("POST", "/api/v1/test/swift-data/services?key=\(namespace)", body: body)
        #expect(response.status == 200, "\(response.text)")
        let json = response.json
        for flag in ["cache_round_trip", "cache_invalidated", "counter", "pipeline_round_trip", "blob_round_trip", "blob_deleted"] {
            #expect(json[flag] as? Bool == true, "\(flag) in \(response.text)")
        }
        let key = try #require(json["blob_key"] as? String)
        #expect(key.hasPrefix("swift/") && key.hasSuffix(".txt"))
        #expect(json["blob_url"] as? String == "/media/\(key)")
    }
}
