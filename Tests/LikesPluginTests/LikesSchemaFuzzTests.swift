import Foundation
import ImageAppTesting
import Testing

/// schemathesis with all its checks over the like routes: no 5xx, every answer as documented.
@Suite(.timeLimit(.minutes(12)))
struct LikesSchemaFuzzTests {
    @Test func likeRoutesSurviveGeneratedRequests() async throws {
        try await withPosts(plugins: { resources in
            "[plugins.likes]\nenabled = true\nredis_prefix = \"\(resources.namespace):likes\"\n"
        }) { accounts in
            let (token, _, _) = try await accounts.register("fuzzer")
            _ = try await accounts.publish(token: token)
            let (status, text) = try await Schemathesis.run(
                against: accounts.host,
                token: token,
                config: """
                    # Which posts exist is state no schema describes: an unknown id is 404.
                    [[operations]]
                    include-path-regex = "like"
                    checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "404", "422", "429"]
                    """,
                seed: 20_261_205,
                arguments: ["--include-path-regex", "^/api/v1/posts/\\{id\\}/like"],
                directory: accounts.directory
            )
            #expect(status == 0, "\(text.suffix(6000))")
            #expect(text.contains("passed"), "\(text.suffix(2000))")
            #expect(!accounts.host.stderr.contains(" error "), "the host logged errors:\n\(accounts.host.stderr.suffix(4000))")
        }
    }
}
