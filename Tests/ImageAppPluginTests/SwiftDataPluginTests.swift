import Foundation
import ImageAppTesting
import Testing

@testable import ImageAppHost

/// The Swift SDK's data path (migration, command, query, refusals thrown as `HTTPError`, dispatch from routes),
/// driven over HTTP with the test-swift-data fixture plugin against a fresh PostgreSQL database per test.
@Suite(.timeLimit(.minutes(12)))
struct SwiftDataPluginTests {
    static func config(databaseURL: String?, extra: String = "") -> String {
        """
        [host]
        log_level = "warning"
        \(databaseURL.map { "database_url = \"\($0)\"" } ?? "")

        [plugins.test-swift-data]
        enabled = true
        \(extra)
        """
    }

    private func add(_ host: HostProcess, _ body: String) async throws -> HTTPResult {
        try await host.request(
            "POST",
            "/api/v1/test/swift-data/items",
            headers: ["Content-Type": "application/json"],
            body: Data(body.utf8)
        )
    }

    @Test func createListAndRefusals() async throws {
        let database = try TestDatabase.fresh()
        defer { TestDatabase.drop(database.name) }
        let host = try await HostProcess.start(config: Self.config(databaseURL: database.url))
        defer { Task { await host.stop() } }

        let created = try await add(host, #"{"name":"first"}"#)
        #expect(created.status == 201, "\(created.text)")
        #expect(created.headers["content-type"] == "application/json")
        #expect(created.json["id"] as? String == "1")
        #expect(created.json["attempt"] as? Int == 1)

        let list = try await host.get("/api/v1/test/swift-data/items")
        #expect(list.status == 200, "\(list.text)")
        let items = list.json["items"] as? [[String: Any]] ?? []
        #expect(items.map { $0["name"] as? String } == ["first"])
        #expect(items.map { $0["id"] as? String } == ["1"])

        let empty = try await add(host, #"{"name":""}"#)
        #expect(empty.status == 422, "\(empty.text)")
        #expect(empty.errorCode == "validation_failed")
        // Details cross the ABI (command_fail_details, ABI 1.6).
        #expect((empty.json["error"] as? [String: Any])?["details"] as? [String: String] == ["name": "must not be empty"])

        let duplicate = try await add(host, #"{"name":"first"}"#)
        #expect(duplicate.status == 409, "\(duplicate.text)")
        #expect(duplicate.errorCode == "duplicate_item")
        #expect((duplicate.json["error"] as? [String: Any])?["message"] as? String == "An item with this name exists.")

        // The route's own decoding refuses a malformed body before anything is dispatched.
        let malformed = try await add(host, #"{"nom":"x"}"#)
        #expect(malformed.status == 400)
        #expect(malformed.errorCode == "invalid_json")

        // Refusals rolled back: still one item, and the next id follows the failed insert's.
        let after = try await host.get("/api/v1/test/swift-data/items")
        #expect((after.json["items"] as? [[String: Any]])?.count == 1)
        let second = try await add(host, #"{"name":"second"}"#)
        #expect(second.status == 201)
        #expect(second.json["id"] as? String != nil)
        // Refusals are answers, not failures: the SDK logged nothing for them.
        let pluginErrors = host.stderr.split(separator: "\n").filter {
            $0.contains("plugin=test-swift-data") && $0.contains(" error ")
        }
        #expect(pluginErrors.isEmpty, "\(pluginErrors)")
    }

    @Test func transientFailuresThrownFromSwiftAreRetried() async throws {
        let database = try TestDatabase.fresh()
        defer { TestDatabase.drop(database.name) }
        let host = try await HostProcess.start(config: Self.config(databaseURL: database.url))
        defer { Task { await host.stop() } }
        async let first = host.request("POST", "/api/v1/test/swift-data/bump")
        async let second = host.request("POST", "/api/v1/test/swift-data/bump")
        let results = try await [first, second]
        #expect(results.allSatisfy { $0.status == 200 }, "\(results.map(\.text))")
        #expect(Set(results.compactMap { $0.json["value"] as? Int }) == [1, 2])
        // Both read 0 at once under SERIALIZABLE: the loser's DatabaseError made the host run it again.
        #expect(results.contains { ($0.json["attempt"] as? Int ?? 0) > 1 })
    }

    @Test func queriesCannotRaiseEvents() async throws {
        let database = try TestDatabase.fresh()
        defer { TestDatabase.drop(database.name) }
        let host = try await HostProcess.start(config: Self.config(databaseURL: database.url))
        defer { Task { await host.stop() } }
        // The SDK refuses before the host would fail the read-only transaction's outbox insert.
        let result = try await host.get("/api/v1/test/swift-data/raise-in-query")
        #expect(result.status == 200, "\(result.text)")
        #expect(result.json["status"] as? String == "wrong state")
        #expect((result.json["message"] as? String ?? "").contains("from a query"), "\(result.text)")
        let outbox = try PostgresConnection(url: database.url).query("SELECT count(*) FROM ia_outbox")
        #expect(outbox.int(0, 0) == 0)
    }

    @Test func noDatabaseAnswers503() async throws {
        // Without its migration the plugin loads on a host that has no database_url; dispatching then fails.
        let host = try await HostProcess.start(
            config: Self.config(databaseURL: nil, extra: "register_migration = false")
        )
        defer { Task { await host.stop() } }

        let created = try await add(host, #"{"name":"first"}"#)
        #expect(created.status == 503, "\(created.text)")
        #expect(created.errorCode == "unavailable")
        #expect(created.headers["retry-after"] == "1")

        let list = try await host.get("/api/v1/test/swift-data/items")
        #expect(list.status == 503)
        #expect(list.errorCode == "unavailable")
    }

    @Test func otherDispatchFailuresAre500AndOnlyLogged() async throws {
        let host = try await HostProcess.start(
            config: Self.config(databaseURL: nil, extra: "register_migration = false")
        )
        defer { Task { await host.stop() } }
        let missing = try await host.get("/api/v1/test/swift-data/missing")
        #expect(missing.status == 500)
        #expect(missing.errorCode == "internal_error")
        #expect(!missing.text.contains("test-swift-data.missing"))
        // Logged after the answer is sent.
        let logged = try await eventually({ host.stderr }) { $0.contains("query 'test-swift-data.missing' failed: not found") }
        #expect(logged.contains("query 'test-swift-data.missing' failed: not found"), "\(logged)")
    }

    @Test func aPluginWithMigrationsNeedsADatabase() throws {
        let result = try HostProcess.run(["check-config"], config: Self.config(databaseURL: nil))
        // check-config runs init only; serving is what applies migrations and refuses.
        #expect(result.status == 0, "\(result.stderr)")
        let serve = try HostProcess.run(["serve", "--listen", "127.0.0.1:0"], config: Self.config(databaseURL: nil))
        #expect(serve.status != 0)
        #expect(serve.stderr.contains("it has database migrations but host.database_url is not set"), "\(serve.stderr)")
    }
}
