import Foundation
import ImageAppTesting
import Testing

/// schemathesis with all its checks over the comment routes (as `SchemaFuzzTests` does for the account routes): no
/// 5xx, every answer as documented, requests the schemas call valid not refused as invalid and the reverse.
@Suite(.timeLimit(.minutes(12)))
struct CommentsSchemaFuzzTests {
    @Test func commentRoutesSurviveGeneratedRequests() async throws {
        try await withComments { accounts in
            let (token, _, _) = try await accounts.register("fuzzer")
            // Something to find: a post with a thread, so that reads hit real rows as well as misses.
            let post = try await accounts.publish(token: token)
            let top = try await accounts.commentID(token: token, on: post, "hello @fuzzer")
            let reply = try await accounts.commentID(token: token, on: post, "a reply", parent: top)
            let (status, text) = try await Schemathesis.run(
                against: accounts.host,
                token: token,
                config: Self.config(post: post, comment: reply),
                seed: 20_261_205,
                arguments: ["--include-path-regex", "^/api/v1/(posts/\\{id\\}/comments|comments)"],
                directory: accounts.directory
            )
            #expect(status == 0, "\(text.suffix(6000))")
            #expect(text.contains("passed"), "\(text.suffix(2000))")
            #expect(!accounts.host.stderr.contains(" error "), "the host logged errors:\n\(accounts.host.stderr.suffix(4000))")
        }
    }

    /// The exceptions, and real ids for the path: without them nearly every generated request would be a 404 that
    /// never reaches the routes' own checks.
    private static func config(post: String, comment: String) -> String {
        """
        # Which posts and comments exist, and whose a comment is, is state no schema describes: 403 and 404 are right
        # answers (the comment below is deleted by the first DELETE that names it). A new comment's body must not be
        # blank and its parent must be a comment of the post (422).
        [[operations]]
        include-path-regex = "\\\\{id\\\\}"
        checks.positive_data_acceptance.expected-statuses = ["2xx", "401", "403", "404", "422", "429"]

        [[operations]]
        include-path = "/api/v1/posts/{id}/comments"
        parameters = { "path.id" = "\(post)" }

        [[operations]]
        include-path = "/api/v1/comments/{id}"
        parameters = { "path.id" = "\(comment)" }
        """
    }
}
