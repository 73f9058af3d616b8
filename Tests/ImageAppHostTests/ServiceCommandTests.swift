import Foundation
import ImageAppTesting
import Testing

/// Service commands (`IA_COMMAND_NO_TRANSACTION`, ABI 1.13), through the test-form-and-service fixture: they run
/// without a database connection (with none configured, and while the pool's only connection is held), once, with
/// their result and refusal details reaching the dispatcher, and refuse statements and events cleanly.
@Suite(.timeLimit(.minutes(12)))
struct ServiceCommandTests {
    @Test func aServiceCommandRunsWithNoDatabaseConfigured() async throws {
        try await withHost(plugins: ["test-form-and-service": ""], database: false, redis: false) { host in
            let response = try await host.request("POST", "/api/v1/test/service", body: Data(#"{"text":"hi"}"#.utf8))
            #expect(response.status == 200, "\(response.text)")
            #expect(response.json["text"] as? String == "hi")
            #expect(response.json["attempt"] as? Int == 1)
            // A statement and an event are refused with IA_ERR_STATE, saying why; the command still answers.
            #expect(response.json["db_status"] as? String == "wrong state")
            #expect((response.json["db_message"] as? String)?.contains("service command") == true, "\(response.text)")
            #expect(response.json["raise_status"] as? String == "wrong state")

            // A refusal arrives as the handler made it: status, code, message and details.
            let refused = try await host.request("POST", "/api/v1/test/service", body: Data(#"{"text":"no","refuse":true}"#.utf8))
            expectRefusal(refused, 422, "echo_refused")
            #expect(refusalDetails(refused) == ["text": "no"])

            // A payload the handler cannot decode is the SDK's 400 refusal, as for data commands.
            let bad = try await host.request("POST", "/api/v1/test/service", body: Data("[]".utf8))
            expectRefusal(bad, 400, "invalid_json")
        }
    }

    @Test func aServiceCommandTakesNoPooledConnection() async throws {
        // One connection in the pool, held by the data command that dispatches the service command: a service
        // command that took a connection would wait out the 10 s lease timeout and fail with 503, so a 200 is the
        // proof (no clock: a loaded machine makes any time bound flaky).
        try await withHost(plugins: ["test-form-and-service": ""], host: "database_pool_size = 1\n") { host in
            let response = try await host.request("POST", "/api/v1/test/service/in-transaction", body: Data(#"{"text":"inside"}"#.utf8))
            #expect(response.status == 200, "\(response.text)")
            #expect(response.json["text"] as? String == "inside")
            let refused = try await host.request(
                "POST",
                "/api/v1/test/service/in-transaction",
                body: Data(#"{"text":"inside","refuse":true}"#.utf8)
            )
            expectRefusal(refused, 422, "echo_refused")
        }
    }
}
