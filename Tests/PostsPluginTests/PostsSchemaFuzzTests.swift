import Foundation
import ImageAppTesting
import Testing

/// schemathesis with all its checks over the posts routes (as `SchemaFuzzTests` does for the account routes): no 5xx,
/// every answer as documented, requests the schemas call valid not refused as invalid and the reverse.
@Suite(.timeLimit(.minutes(12)))
struct PostsSchemaFuzzTests {
    @Test func postRoutesSurviveGeneratedRequests() async throws {
        try await withPosts { accounts in
            let (token, _, _) = try await accounts.register("fuzzer")
            // Something to find: a post with a tag, so that reads hit real rows as well as misses.
            _ = try await accounts.publish(token: token, caption: "#fuzz me")
            let (status, text) = try await Schemathesis.run(
                against: accounts.host,
                token: token,
                config: Self.config,
                seed: 20_261_204,
                arguments: ["--include-path-regex", "^/api/v1/(posts|users/\\{handle\\}/posts|tags|admin/posts)"],
                directory: accounts.directory
            )
            #expect(status == 0, "\(text.suffix(6000))")
            #expect(text.contains("passed"), "\(text.suffix(2000))")
            #expect(!accounts.host.stderr.contains(" error "), "the host logged errors:\n\(accounts.host.stderr.suffix(4000))")
        }
    }

    private static let config = """
        # Media ids must be the caller's own unattached uploads: state no schema describes (422 invalid_media); images
        # are told by their content, which no schema describes either (415, 422 invalid_image, 413).
        [[operations]]
        include-path = "/api/v1/posts"
        include-method = "POST"
        checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "413", "415", "422", "429"]

        # Which posts, users and tags exist, and whose a post is, is state too: 403 and 404 are right answers; an edit
        # naming media that is not on the post is 422.
        [[operations]]
        include-path-regex = "\\\\{(id|handle|tag)\\\\}"
        checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "422", "429"]
        """
}
