import Foundation
import ImageAppTesting
import Testing

/// schemathesis with all its checks over the trending routes: no 5xx, every answer as documented.
@Suite(.timeLimit(.minutes(12)))
struct TrendingSchemaFuzzTests {
    @Test func trendingRoutesSurviveGeneratedRequests() async throws {
        try await withTrending { accounts in
            let (token, _, _) = try await accounts.register("fuzzer")
            let (other, _, _) = try await accounts.register("liker")
            // Something ranked, so that answers hold posts and hashtags.
            let post = try await accounts.publish(token: token, caption: "#fuzz me")
            try await accounts.like(token: other, post)
            _ = try await eventually {
                try await accounts.trendingPage().ids
            } until: {
                $0 == [post]
            }
            let (status, text) = try await Schemathesis.run(
                against: accounts.host,
                token: token,
                config: "",
                seed: 20_261_203,
                arguments: ["--include-path-regex", "^/api/v1/(feed|tags)/trending"],
                directory: accounts.directory
            )
            #expect(status == 0, "\(text.suffix(6000))")
            #expect(text.contains("passed"), "\(text.suffix(2000))")
            #expect(!accounts.host.stderr.contains(" error "), "the host logged errors:\n\(accounts.host.stderr.suffix(4000))")
        }
    }
}
