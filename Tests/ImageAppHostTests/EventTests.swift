import Foundation
import ImageAppTesting
import Testing

@testable import ImageAppHost

/// Events through the outbox, the relay, Redis Streams and worker consumers, with the
/// test-data fixture plugin. Each test has its own database and stream.
@Suite(.timeLimit(.minutes(12)))
struct EventTests {
    static let redisURL = ProcessInfo.processInfo.environment["IMAGEAPP_TEST_REDIS_URL"] ?? "redis://127.0.0.1:63799/15"

    struct Setup {
        let database: (name: String, url: String)
        let stream: String

        init() throws {
            database = try TestDatabase.fresh()
            stream = "test:events:\(UUID().uuidString.prefix(12).lowercased())"
        }

        func config(_ extra: String = "", retryBase: Double = 0.05) -> String {
            """
            [host]
            log_level = "warning"
            database_url = "\(database.url)"
            redis_url = "\(EventTests.redisURL)"
            events_stream = "\(stream)"
            event_retry_base_seconds = \(retryBase)
            \(extra)

            [plugins.test-data]
            enabled = true
            """
        }

        /// (handler, body, attempt) of every recorded delivery.
        func deliveries() throws -> [(handler: String, body: String, attempt: Int)] {
            try deliveriesWithWorkers().map { ($0.handler, $0.body, $0.attempt) }
        }

        /// Deliveries with the process ID of the worker that handled each.
        func deliveriesWithWorkers() throws -> [(handler: String, body: String, attempt: Int, worker: Int32)] {
            let connection = try PostgresConnection(url: database.url)
            let rows = try connection.query("SELECT handler, coalesce(body, ''), attempt, pid FROM test_data_deliveries ORDER BY at")
            return (0..<rows.rowCount).map {
                (rows.string($0, 0) ?? "", rows.string($0, 1) ?? "", Int(rows.int($0, 2) ?? 0), Int32(rows.int($0, 3) ?? 0))
            }
        }

        /// Polls until `condition` holds for the deliveries, or fails after `timeout`.
        func waitForDeliveries(
            timeout: Duration = .seconds(15),
            _ condition: ([(handler: String, body: String, attempt: Int)]) -> Bool
        ) async throws -> [(handler: String, body: String, attempt: Int)] {
            let last = try await eventually(timeout: timeout, interval: .milliseconds(100), { (try? deliveries()) ?? [] }, until: condition)
            if !condition(last) { Issue.record("deliveries never satisfied the condition; last: \(last)") }
            return last
        }

        func tearDown() {
            TestDatabase.drop(database.name)
            if let url = try? RedisURL(EventTests.redisURL), let redis = try? RedisConnection(url: url) {
                _ = try? redis.command("DEL", stream, stream + ":dead", stream + ":family:test", stream + ":family-since")
            }
        }
    }

    private func post(_ host: HostProcess, _ body: String) async throws -> HTTPResult {
        try await host.request("POST", "/api/v1/test/data/notes", body: Data("{\"body\":\"\(body)\"}".utf8))
    }

    @Test func onlyCommittedCommandsDeliverEventsToWorkersAndInProcessHandlers() async throws {
        let setup = try Setup()
        defer { setup.tearDown() }
        let host = try await HostProcess.start(config: setup.config())
        defer { Task { await host.stop() } }
        #expect(try await post(host, "kept").status == 201)
        #expect(try await post(host, "fail-after-insert").status == 500)
        #expect(try await post(host, "kept-too").status == 201)
        let seen = try await setup.waitForDeliveries { rows in
            Set(rows.filter { $0.handler == "recorder" }.map(\.body)) == ["kept", "kept-too"]
                && Set(rows.filter { $0.handler == "inproc" }.map(\.body)) == ["kept", "kept-too"]
        }
        #expect(!seen.contains { $0.body.hasPrefix("fail-after-insert") })
        // Give a stray late delivery the chance to show up, then check nothing was doubled.
        try await Task.sleep(for: .milliseconds(500))
        #expect(try setup.deliveries().filter { $0.handler == "recorder" }.count == 2)

        // The service gauges, sampled at scrape time.
        let metrics = try await host.get("/metrics").text
        #expect(metrics.contains(#"imageapp_db_pool_connections{pool="primary",state="idle"}"#))
        #expect(metrics.contains(#"imageapp_redis_pool_connections{state="in_use"}"#))
        #expect(metrics.contains("imageapp_outbox_unpublished 0"))
        #expect(metrics.contains(#"imageapp_event_stream_pending{group="test-data.recorder",stream="\#(setup.stream):family:test"} 0"#))

        // Each event is in the main stream and, under the same id, in its family's stream, which the recorder reads.
        let redis = try RedisConnection(url: RedisURL(Self.redisURL))
        let main = try redis.command("XRANGE", setup.stream, "-", "+").array ?? []
        let family = try redis.command("XRANGE", setup.stream + ":family:test", "-", "+").array ?? []
        #expect(main.count == 2)
        #expect(family.compactMap { $0.array?.first?.stringValue } == main.compactMap { $0.array?.first?.stringValue })
        #expect(try redis.streamGroups(setup.stream).isEmpty)
    }

    @Test func aGroupLeftOnTheMainStreamIsDrainedBeforeTheFamilyStream() async throws {
        let setup = try Setup()
        defer { setup.tearDown() }
        // As an older version left it: the recorder's group on the main stream, with one entry pending on a consumer
        // that is gone and one not read yet.
        let redis = try RedisConnection(url: RedisURL(Self.redisURL))
        func append(_ body: String) throws {
            _ = try redis.command(
                "XADD",
                setup.stream,
                "*",
                "id",
                "legacy-\(body)",
                "type",
                "test.note_created",
                "payload",
                #"{"id":"0","body":"\#(body)"}"#,
                "source",
                "test-data",
                "occurred_at",
                "2026-01-01T00:00:00.000000Z"
            )
        }
        _ = try redis.command("XGROUP", "CREATE", setup.stream, "test-data.recorder", "0", "MKSTREAM")
        try append("was-pending")
        _ = try redis.command("XREADGROUP", "GROUP", "test-data.recorder", "gone", "COUNT", "1", "STREAMS", setup.stream, ">")
        try append("was-unread")

        let host = try await HostProcess.start(config: setup.config())
        defer { Task { await host.stop() } }
        #expect(try await post(host, "new").status == 201)
        _ = try await setup.waitForDeliveries { rows in
            Set(rows.filter { $0.handler == "recorder" }.map(\.body)) == ["was-pending", "was-unread", "new"]
        }
        // Drained, the old group goes; nothing was delivered twice ("new" is on both streams).
        let groups = try await eventually(
            interval: .milliseconds(100),
            { try redis.streamGroups(setup.stream).compactMap { $0["name"]?.stringValue } }
        ) {
            !$0.contains("test-data.recorder")
        }
        #expect(!groups.contains("test-data.recorder"))
        try await Task.sleep(for: .milliseconds(500))
        #expect(try setup.deliveries().filter { $0.handler == "recorder" }.map(\.body).sorted() == ["new", "was-pending", "was-unread"])
    }

    @Test func anEventCommittedBeforeACrashIsDeliveredAfterRestart() async throws {
        let setup = try Setup()
        defer { setup.tearDown() }
        let doomed = try await HostProcess.start(config: setup.config(), environment: ["IMAGEAPP_FAULT_EXIT_AFTER_COMMIT": "1"], role: "api")
        _ = try? await post(doomed, "survivor")
        let status = try await doomed.waitForExit()
        #expect(status == 99)
        // Committed, never published.
        let connection = try PostgresConnection(url: setup.database.url)
        #expect(try connection.query("SELECT count(*) FROM ia_outbox WHERE published_at IS NULL").int(0, 0) == 1)
        #expect(try connection.query("SELECT count(*) FROM test_data_notes WHERE body = 'survivor'").int(0, 0) == 1)

        let restarted = try await HostProcess.start(config: setup.config())
        defer { Task { await restarted.stop() } }
        let rows = try await setup.waitForDeliveries { $0.contains { $0.handler == "recorder" && $0.body == "survivor" } }
        #expect(rows.filter { $0.handler == "recorder" && $0.body == "survivor" }.count == 1)
        #expect(try connection.query("SELECT count(*) FROM ia_outbox WHERE published_at IS NULL").int(0, 0) == 0)
    }

    @Test func twoWorkersHandleEachEventOnce() async throws {
        let setup = try Setup()
        defer { setup.tearDown() }
        // Retries far off: with the suite's 50 ms, a delivery slowed past it on a loaded machine is (rightly, at least
        // once) claimed by the other worker, and this test is about sharing, not retrying.
        let api = try await HostProcess.start(config: setup.config(retryBase: 10), role: "api")
        defer { Task { await api.stop() } }
        let workers = try await [
            HostProcess.start(config: setup.config(retryBase: 10), role: "worker"),
            HostProcess.start(config: setup.config(retryBase: 10), role: "worker"),
        ]
        defer { for worker in workers { Task { await worker.stop() } } }
        for index in 0..<20 { #expect(try await post(api, "note-\(index)").status == 201) }
        _ = try await setup.waitForDeliveries { $0.filter { $0.handler == "recorder" }.count >= 20 }
        try await Task.sleep(for: .milliseconds(800))
        let recorded = try setup.deliveries().filter { $0.handler == "recorder" }
        #expect(recorded.count == 20)
        #expect(Set(recorded.map(\.body)).count == 20)
    }

    @Test func entriesPendingOnADeadConsumerAreReclaimed() async throws {
        let setup = try Setup()
        defer { setup.tearDown() }
        // Slow retries, so the first worker dies between the first delivery and its retry even on a busy machine
        // (with quick ones it could spend every attempt before the kill, leaving nothing to reclaim).
        let config = setup.config("event_max_attempts = 5", retryBase: 3)
        let api = try await HostProcess.start(config: config, role: "api")
        defer { Task { await api.stop() } }
        let doomed = try await HostProcess.start(config: config, role: "worker")
        #expect(try await post(api, "poison").status == 201)
        _ = try await setup.waitForDeliveries { $0.contains { $0.body == "poison" } }
        doomed.signal(SIGKILL)
        _ = try await doomed.waitForExit()
        // The entry stays pending on the dead consumer; a new worker claims it after its backoff.
        let survivor = try await HostProcess.start(config: config, role: "worker")
        defer { Task { await survivor.stop() } }
        let pid = survivor.process.processIdentifier
        let rows = try await eventually(
            timeout: .seconds(30),
            interval: .milliseconds(100),
            { try setup.deliveriesWithWorkers().filter { $0.body == "poison" } }
        ) {
            $0.contains { $0.worker == pid }
        }
        #expect(rows.first?.worker == doomed.process.processIdentifier)
        #expect(rows.contains { $0.worker == pid && $0.attempt >= 2 })
    }

    @Test func aFailingEventIsRetriedThenDeadLettered() async throws {
        let setup = try Setup()
        defer { setup.tearDown() }
        let host = try await HostProcess.start(config: setup.config("event_max_attempts = 3"))
        defer { Task { await host.stop() } }
        #expect(try await post(host, "poison").status == 201)
        let rows = try await setup.waitForDeliveries { $0.filter { $0.body == "poison" }.count >= 3 }
        #expect(rows.filter { $0.body == "poison" }.map(\.attempt) == [1, 2, 3])
        // After the third failure it sits in the dead-letter stream and is not delivered again.
        let redis = try RedisConnection(url: RedisURL(EventTests.redisURL))
        let dead = try await eventually(interval: .milliseconds(100), { try redis.command("XRANGE", setup.stream + ":dead", "-", "+").array ?? [] }) {
            !$0.isEmpty
        }
        #expect(dead.count == 1)
        let fields = dead.first?.array?.last?.array?.compactMap(\.stringValue) ?? []
        #expect(fields.contains("test-data.recorder"))
        #expect(fields.contains("poison events always fail (test fixture)"))
        try await Task.sleep(for: .milliseconds(600))
        #expect(try setup.deliveries().filter { $0.body == "poison" }.count == 3)
    }
}
