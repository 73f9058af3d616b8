import Foundation
import ImageAppTesting
import Testing

/// schemathesis with all its checks over the media routes (as `SchemaFuzzTests` does for the account routes): no 5xx,
/// every answer as documented, requests the schemas call valid not refused as invalid and the reverse.
@Suite(.timeLimit(.minutes(12)))
struct MediaSchemaFuzzTests {
    @Test func mediaRoutesSurviveGeneratedRequests() async throws {
        try await withMedia { accounts in
            let (token, _, _) = try await accounts.register("fuzzer")
            let (status, text) = try await Schemathesis.run(
                against: accounts.host,
                token: token,
                config: Self.config,
                seed: 20_261_203,
                arguments: ["--include-path-regex", "^/api/v1/media"],
                directory: accounts.directory
            )
            #expect(status == 0, "\(text.suffix(6000))")
            #expect(text.contains("passed"), "\(text.suffix(2000))")
            #expect(!accounts.host.stderr.contains(" error "), "the host logged errors:\n\(accounts.host.stderr.suffix(4000))")
        }
    }

    private static let config = """
        # An upload must be an image, told by its bytes: a schema cannot describe image content, so the random bytes it
        # calls valid are rightly refused (415, 422 for an empty part or an unreadable image). Every other check runs.
        [[operations]]
        include-path = "/api/v1/media"
        checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "413", "415", "422", "429"]

        # Which media ids exist, and whose they are, is state no schema describes: an unknown id is 404.
        [[operations]]
        include-path-regex = "^/api/v1/media/\\\\{id\\\\}$"
        checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "404", "429"]
        """
}
