import Foundation
import ImageAppTesting
import Testing

/// Property-based fuzzing of every documented route of the account plugins with schemathesis (from PyPI, installed
/// by `scripts/test`): generated valid and invalid requests, from the served OpenAPI document, must never get a 5xx,
/// and every answer must match the documented schema and media type.
@Suite(.timeLimit(.minutes(5)))
struct SchemaFuzzTests {
    @Test func accountRoutesSurviveGeneratedRequests() async throws {
        try await withAccounts(auth: """
            login_per_ip_limit = 100000000
            signup_per_ip_limit = 100000000
            reset_per_email_limit = 100000000
            """) { accounts in
        // An admin, so that the admin routes are exercised past their 403.
        let token = try await accounts.createAdmin("fuzz_admin")

        let fuzz = Process()
        fuzz.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        fuzz.arguments = [
            "python3", "-m", "schemathesis.cli", "run", accounts.host.baseURL.appendingPathComponent("api/v1/openapi.json").absoluteString,
            "--checks", "not_a_server_error,response_schema_conformance,content_type_conformance",
            "--header", "Authorization: Bearer \(token)",
            "--max-examples", "25", "--seed", "20261125",
            // Routes that would end the fuzzer's own session or account are left out; their refusals have tests.
            "--exclude-path-regex", "logout|password/change|password/reset|sessions/\\{id\\}",
            "--exclude-method", "DELETE",
        ]
        // schemathesis keeps a cache folder in its working directory: not in the project's.
        fuzz.currentDirectoryURL = URL(fileURLWithPath: try TemporaryDirectory.make(at: accounts.directory + "/schemathesis"))
        let text = try await fuzz.runToCompletion()
        #expect(fuzz.terminationStatus == 0, "\(text.suffix(6000))")
        #expect(text.contains("passed"), "\(text.suffix(2000))")
        #expect(!accounts.host.stderr.contains(" error "), "the host logged errors:\n\(accounts.host.stderr.suffix(4000))")
        }
    }
}
