import Foundation
import ImageAppTesting
import Testing

/// Host-level HTTP behaviour: errors in the product's shape, health, metrics, OpenAPI, shutdown.
@Suite(.timeLimit(.minutes(12)))
struct ServerBehaviourTests {
    @Test func unknownPathAndWrongMethodAnswerJSONErrors() async throws {
        let host = try await HostProcess.start(config: Configs.examples)
        defer { Task { await host.stop() } }
        let missing = try await host.get("/api/v1/nothing-here")
        #expect(missing.status == 404)
        #expect(missing.errorCode == "not_found")
        #expect(missing.headers["content-type"] == "application/json")

        let wrongMethod = try await host.request("DELETE", "/api/v1/examples/c/hello")
        #expect(wrongMethod.status == 405)
        #expect(wrongMethod.errorCode == "method_not_allowed")
        #expect(wrongMethod.headers["allow"] == "GET, HEAD")
    }

    @Test func healthReadinessAndMetrics() async throws {
        let host = try await HostProcess.start(config: Configs.examples)
        defer { Task { await host.stop() } }
        #expect(try await host.get("/healthz").status == 200)
        #expect(try await host.get("/readyz").status == 200)
        for _ in 0..<3 { _ = try await host.get("/api/v1/examples/c/hello") }
        let metrics = try await host.get("/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.headers["content-type"]?.hasPrefix("text/plain") == true)
        let text = metrics.text
        #expect(text.contains(#"http_requests_total{method="GET",route="/api/v1/examples/c/hello",status="200"} 3"#))
        #expect(text.contains(#"http_request_duration_seconds_bucket{method="GET",route="/api/v1/examples/c/hello""#))
        // The C plugin's own counter, registered through the ABI.
        #expect(text.contains("example_c_hello_requests_total 3"))
    }

    @Test func readinessReflectsPostgreSQLAndRedis() async throws {
        let redisURL = ProcessInfo.processInfo.environment["IMAGEAPP_TEST_REDIS_URL"] ?? "redis://127.0.0.1:63799/15"
        let up = try await HostProcess.start(
            config: Configs.examples.replacingOccurrences(
                of: "[host]\n",
                with: "[host]\ndatabase_url = \"\(TestDatabase.url)\"\nredis_url = \"\(redisURL)\"\n"
            )
        )
        defer { Task { await up.stop() } }
        let ready = try await up.get("/readyz")
        #expect(ready.status == 200)
        #expect((ready.json["checks"] as? [String: Any])?["postgres"] as? String == "ok")
        #expect((ready.json["checks"] as? [String: Any])?["redis"] as? String == "ok")

        let down = try await HostProcess.start(
            config: Configs.examples.replacingOccurrences(
                of: "[host]\n",
                with: "[host]\ndatabase_url = \"\(TestDatabase.url)\"\nredis_url = \"redis://127.0.0.1:1/0\"\n"
            )
        )
        defer { Task { await down.stop() } }
        let notReady = try await down.get("/readyz")
        #expect(notReady.status == 503)
        #expect(notReady.json["status"] as? String == "not_ready")
        let checks = notReady.json["checks"] as? [String: Any]
        #expect(checks?["postgres"] as? String == "ok")
        #expect((checks?["redis"] as? String)?.hasPrefix("unavailable") == true)

        // A database that cannot be reached at start-up stops it (migrations come first).
        let unreachable = try HostProcess.run(
            ["serve", "--listen", "127.0.0.1:0"],
            config: "[host]\nlog_level = \"warning\"\ndatabase_url = \"postgres://postgres@127.0.0.1:1/none\"\n"
        )
        #expect(unreachable.status != 0)
        #expect(unreachable.stderr.contains("cannot apply migrations"))
        // Liveness does not depend on PostgreSQL.
        #expect(try await down.get("/healthz").status == 200)
    }

    @Test func openAPIDocumentDescribesTheEnabledRoutes() async throws {
        let host = try await HostProcess.start(config: Configs.examples)
        defer { Task { await host.stop() } }
        let response = try await host.get("/api/v1/openapi.json")
        #expect(response.status == 200)
        let json = response.json
        #expect(json["openapi"] as? String == "3.1.0")
        let paths = json["paths"] as? [String: Any] ?? [:]
        let echo = (paths["/api/v1/examples/c/echo/{name}"] as? [String: Any])?["post"] as? [String: Any]
        #expect(echo != nil)
        let parameters = echo?["parameters"] as? [[String: Any]]
        #expect(parameters?.first?["name"] as? String == "name")
        #expect(paths["/api/v1/examples/swift/greet/{name}"] != nil)
        #expect(paths["/healthz"] != nil)

        // The document is valid OpenAPI 3.1 (checked by openapi-spec-validator, which the test
        // command installs).
        #expect(try OpenAPIValidator.accepts(response.body), "openapi-spec-validator rejected the document")
    }

    @Test func sigtermLetsASlowRequestFinish() async throws {
        let host = try await HostProcess.start(config: Configs.examples)
        // Long enough that a poll of /metrics on a loaded machine still finds it in flight (6 s was not, once, with the
        // whole suite building and running beside it), and short of the request timeout (20 s).
        let slow = Task { try await host.get("/api/v1/examples/swift/slow?ms=15000") }
        // Once the request has reached the plugin (the scrape counts itself too), ask the server to stop.
        let inFlight = try await eventually(timeout: .seconds(60)) {
            let metrics = try await host.get("/metrics").text
            let line = metrics.split(separator: "\n").first { $0.hasPrefix("http_requests_in_flight ") }
            return line.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
        } until: {
            $0 >= 2
        }
        #expect(inFlight >= 2)
        host.signal(SIGTERM)
        let response = try await slow.value
        #expect(response.status == 200)
        #expect(response.json["slept_ms"] as? Int == 15000)
        let status = try await host.waitForExit()
        #expect(status == 0)
    }

    @Test func handlerTimeoutAnswers504() async throws {
        let config = Configs.examples.replacingOccurrences(of: "request_timeout_seconds = 20", with: "request_timeout_seconds = 0.3")
        let host = try await HostProcess.start(config: config)
        defer { Task { await host.stop() } }
        let response = try await host.get("/api/v1/examples/swift/slow?ms=2000")
        #expect(response.status == 504)
        #expect(response.errorCode == "timeout")
        // The server keeps serving afterwards, including when the late completion arrives.
        try await Task.sleep(for: .milliseconds(2000))
        #expect(try await host.get("/api/v1/examples/c/hello").status == 200)
    }
}
