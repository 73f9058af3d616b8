import Foundation
import ImageAppTesting
import Testing

@testable import ImageAppHost

/// Migrations, commands and queries through the ABI, driven over HTTP with the test-data
/// fixture plugin against a fresh PostgreSQL database per test.
@Suite(.timeLimit(.minutes(12)))
struct DataServicesTests {
    static func config(databaseURL: String, extra: String = "", host: String = "") -> String {
        """
        [host]
        log_level = "warning"
        database_url = "\(databaseURL)"
        \(host)

        [plugins.test-data]
        enabled = true
        \(extra)
        """
    }

    private func migrationRows(_ url: String) throws -> [String] {
        let connection = try PostgresConnection(url: url)
        let result = try connection.query(
            "SELECT plugin || ':' || version || ':' || name FROM ia_migrations WHERE plugin <> 'host' ORDER BY plugin, version"
        )
        return (0..<result.rowCount).compactMap { result.string($0, 0) }
    }

    @Test func migrationsApplyOnceAndAreRecordedPerPlugin() async throws {
        let database = try TestDatabase.fresh()
        defer { TestDatabase.drop(database.name) }
        let config = Self.config(databaseURL: database.url)

        let first = try HostProcess.run(["migrate"], config: config)
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("6 migration(s) applied"))  // the host's outbox and ia_next_id, then the plugin's four
        #expect(
            try migrationRows(database.url) == [
                "test-data:1:create_notes", "test-data:2:create_counters", "test-data:3:create_deliveries", "test-data:4:create_job_runs",
            ]
        )

        let again = try HostProcess.run(["migrate"], config: config)
        #expect(again.status == 0)
        #expect(again.stdout.contains("0 migration(s) applied"))

        // serve applies pending migrations too (none now) and starts.
        let host = try await HostProcess.start(config: config)
        #expect(try await host.get("/api/v1/test/data/notes").status == 200)
        await host.stop()
    }

    @Test func hostsStartingTogetherDoNotRaceOnMigrations() async throws {
        let database = try TestDatabase.fresh()
        defer { TestDatabase.drop(database.name) }
        let config = Self.config(databaseURL: database.url)
        async let a = HostProcess.start(config: config)
        async let b = HostProcess.start(config: config)
        async let c = HostProcess.start(config: config)
        let hosts = try await [a, b, c]
        for host in hosts { #expect(try await host.get("/api/v1/test/data/notes").status == 200) }
        #expect(try migrationRows(database.url).count == 4)
        for host in hosts { await host.stop() }
    }

    @Test func failingMigrationRollsBackAndStopsStartUp() throws {
        let database = try TestDatabase.fresh()
        defer { TestDatabase.drop(database.name) }
        let result = try HostProcess.run(
            ["serve", "--listen", "127.0.0.1:0"],
            config: Self.config(databaseURL: database.url, extra: "broken_migration = true")
        )
        #expect(result.status != 0)
        #expect(!result.stdout.contains("listening"))
        #expect(result.stderr.contains("cannot load plugin 'test-data': migration 5 (broken) failed and was rolled back"))
        #expect(
            try migrationRows(database.url) == [
                "test-data:1:create_notes", "test-data:2:create_counters", "test-data:3:create_deliveries", "test-data:4:create_job_runs",
            ]
        )
        let connection = try PostgresConnection(url: database.url)
        #expect(try connection.query("SELECT to_regclass('test_data_half') IS NULL").bool(0, 0) == true)
    }

    @Test func commandsCommitRollBackAndRefuseAsAWhole() async throws {
        let database = try TestDatabase.fresh()
        defer { TestDatabase.drop(database.name) }
        let host = try await HostProcess.start(config: Self.config(databaseURL: database.url))
        defer { Task { await host.stop() } }

        let created = try await host.request("POST", "/api/v1/test/data/notes", body: Data(#"{"body":"first"}"#.utf8))
        #expect(created.status == 201)
        #expect(created.json["id"] as? String == "1")
        #expect(created.json["attempt"] as? Int == 1)

        // A handler that fails after its insert leaves nothing behind.
        let failed = try await host.request("POST", "/api/v1/test/data/notes", body: Data(#"{"body":"fail-after-insert"}"#.utf8))
        #expect(failed.status == 500)

        let rejected = try await host.request("POST", "/api/v1/test/data/notes", body: Data(#"{"body":"reject"}"#.utf8))
        #expect(rejected.status == 422)
        #expect(rejected.errorCode == "body_rejected")

        let duplicate = try await host.request("POST", "/api/v1/test/data/notes", body: Data(#"{"body":"first"}"#.utf8))
        #expect(duplicate.status == 409)
        #expect(duplicate.errorCode == "duplicate_note")

        let badJSON = try await host.request("POST", "/api/v1/test/data/notes", body: Data("{oops".utf8))
        #expect(badJSON.status == 400)

        let list = try await host.get("/api/v1/test/data/notes")
        #expect(list.status == 200)
        #expect(list.json["items"] as? [String] == ["first"])
    }

    @Test func queriesTakeAConnectionOnlyForTheirFirstStatement() async throws {
        let database = try TestDatabase.fresh()
        defer { TestDatabase.drop(database.name) }
        let host = try await HostProcess.start(config: Self.config(databaseURL: database.url, host: "database_pool_size = 1"))
        defer { Task { await host.stop() } }

        // A query waiting for a lock the test holds keeps the only pooled connection as long as the test wants (sent on
        // a socket of its own, apart from the client's)...
        let probe = try PostgresConnection(url: database.url)
        try probe.execute("SELECT pg_advisory_lock(4242)")
        let holding = try RawConnection(port: host.baseURL.port!)
        defer { holding.close() }
        let holdBody = #"{"lock":4242}"#
        try holding.send(
            "POST /api/v1/test/data/hold HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: \(holdBody.utf8.count)\r\n\r\n\(holdBody)"
        )
        let waiting = """
            SELECT count(*) FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE 'SELECT pg_advisory_xact_lock%'
            """
        _ = try await eventually { (try? probe.query(waiting).int(0, 0)) == 1 ? true : nil }
        // ...and a query that runs no statement answers meanwhile: it never waited for the pool.
        let echo = try await host.request("POST", "/api/v1/test/data/echo", body: Data("{}".utf8))
        #expect(echo.status == 200)
        #expect(echo.json["echo"] as? Bool == true)
        #expect(try probe.query(waiting).int(0, 0) == 1, "the held query ended before the echo answered")
        // Once the lock is free the held query ends, and one with a statement gets the connection and runs.
        try probe.execute("SELECT pg_advisory_unlock(4242)")
        #expect(await holding.read(timeout: .seconds(30)) { $0.contains("held") }.text.hasPrefix("HTTP/1.1 200"))
        let list = try await host.get("/api/v1/test/data/notes")
        #expect(list.status == 200)
    }

    @Test func aFailingNestedQueryLeavesItsCallersTransactionGoing() async throws {
        let database = try TestDatabase.fresh()
        defer { TestDatabase.drop(database.name) }
        let host = try await HostProcess.start(config: Self.config(databaseURL: database.url))
        defer { Task { await host.stop() } }

        // A query nested in a query: a failing one beside it is rolled back to its savepoint, the rest goes on.
        let around = try await host.get("/api/v1/test/data/around-failure")
        #expect(around.status == 200, "\(around.text)")
        #expect(around.json["items"] as? [String] == [])
        // A command around queries nested one and two deep, some failing: both of its inserts commit.
        for _ in 0..<2 {
            _ = try await host.request("POST", "/api/v1/test/data/notes", body: Data(#"{"body":"first"}"#.utf8))
        }
        let nested = try await host.request("POST", "/api/v1/test/data/nested", body: Data("{}".utf8))
        #expect(nested.status == 200, "\(nested.text)")
        #expect(nested.json["items"] as? [String] == ["first", "nested-before", "nested-after"])
        #expect(try await host.get("/api/v1/test/data/notes").json["items"] as? [String] == ["first", "nested-before", "nested-after"])
        // The pool's connections came back clean: later commands and queries work.
        let created = try await host.request("POST", "/api/v1/test/data/notes", body: Data(#"{"body":"second"}"#.utf8))
        #expect(created.status == 201)
        #expect(
            try await host.get("/api/v1/test/data/around-failure").json["items"] as? [String] == ["first", "nested-before", "nested-after", "second"]
        )
    }

    @Test func serializationConflictsAreRetried() async throws {
        let database = try TestDatabase.fresh()
        defer { TestDatabase.drop(database.name) }
        let host = try await HostProcess.start(config: Self.config(databaseURL: database.url))
        defer { Task { await host.stop() } }
        async let first = host.request("POST", "/api/v1/test/data/increment")
        async let second = host.request("POST", "/api/v1/test/data/increment")
        let results = try await [first, second]
        #expect(results.allSatisfy { $0.status == 200 })
        #expect(Set(results.compactMap { $0.json["value"] as? Int }) == [1, 2])
        // Both read 0 at once under SERIALIZABLE: one of them had to run again.
        #expect(results.contains { ($0.json["attempt"] as? Int ?? 0) > 1 })
        let metrics = try await host.get("/metrics")
        #expect(metrics.text.contains(#"imageapp_command_retries_total{command="test-data.increment"}"#))
    }

    @Test func retriesAreBoundedAndReportedAs503() async throws {
        let database = try TestDatabase.fresh()
        defer { TestDatabase.drop(database.name) }
        // One attempt only: the loser of a conflict cannot be retried.
        let host = try await HostProcess.start(config: Self.config(databaseURL: database.url, host: "command_max_attempts = 1"))
        defer { Task { await host.stop() } }
        async let first = host.request("POST", "/api/v1/test/data/increment")
        async let second = host.request("POST", "/api/v1/test/data/increment")
        let statuses = try await [first, second].map(\.status).sorted()
        #expect(statuses == [200, 503])
    }
}
