import Foundation
import ImageAppTesting
import Testing

/// Both example plugins, loaded by a real host, answering over HTTP.
@Suite(.timeLimit(.minutes(12)))
struct ExamplePluginTests {
    @Test func cPluginAnswersWithItsSetting() async throws {
        let host = try await HostProcess.start(config: Configs.examples)
        defer { Task { await host.stop() } }
        let response = try await host.get("/api/v1/examples/c/hello")
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "application/json")
        #expect(response.json["message"] as? String == "Howdy, world!")
        #expect(response.headers["x-request-id"]?.isEmpty == false)
    }

    @Test func cPluginReceivesPathQueryHeadersAndBodyIntact() async throws {
        let host = try await HostProcess.start(config: Configs.examples)
        defer { Task { await host.stop() } }
        let body = "line one\nline \"two\" \u{00e9}\u{1F600}"
        let response = try await host.request(
            "POST",
            "/api/v1/examples/c/echo/caf%C3%A9%20bar?q=a%26b+c&other=1",
            headers: ["X-Echo": "echo-value", "X-Request-Id": "test-req-123"],
            body: Data(body.utf8)
        )
        #expect(response.status == 200)
        let json = response.json
        #expect(json["method"] as? String == "POST")
        #expect(json["path"] as? String == "/api/v1/examples/c/echo/caf%C3%A9%20bar")
        #expect(json["name"] as? String == "café bar")
        // request_route (ABI 1.9): the pattern as registered, not the raw path.
        #expect(json["route"] as? String == "/api/v1/examples/c/echo/{name}")
        #expect(json["query"] as? String == "q=a%26b+c&other=1")
        #expect(json["q"] as? String == "a&b c")
        #expect(json["x_echo"] as? String == "echo-value")
        #expect(json["body"] as? String == body)
        #expect(json["body_length"] as? Int == body.utf8.count)
        #expect(json["peer"] as? String == "127.0.0.1")
        // Not a trusted proxy: the client's request ID is not adopted (RequestIDTests).
        #expect(json["request_id"] as? String == response.headers["x-request-id"])
        #expect(response.headers["x-request-id"] != "test-req-123")
    }

    @Test func swiftPluginAnswersWithPathParameterAndQuery() async throws {
        let host = try await HostProcess.start(config: Configs.examples)
        defer { Task { await host.stop() } }
        let response = try await host.get("/api/v1/examples/swift/greet/Ada%20L?punctuation=%3F")
        #expect(response.status == 200)
        #expect(response.json["greeting"] as? String == "Ahoy, Ada L?")
    }

    @Test func swiftPluginDecodesJSONBodyAndReportsErrorsInTheProductShape() async throws {
        let host = try await HostProcess.start(config: Configs.examples)
        defer { Task { await host.stop() } }
        let ok = try await host.request(
            "POST",
            "/api/v1/examples/swift/echo",
            headers: ["Content-Type": "application/json"],
            body: Data(#"{"text":"ab","repeat":3}"#.utf8)
        )
        #expect(ok.status == 200)
        #expect(ok.json["repeated"] as? String == "ababab")
        #expect(ok.json["content_type"] as? String == "application/json")

        let badJSON = try await host.request("POST", "/api/v1/examples/swift/echo", body: Data("{not json".utf8))
        #expect(badJSON.status == 400)
        #expect(badJSON.errorCode == "invalid_json")

        let outOfRange = try await host.request("POST", "/api/v1/examples/swift/echo", body: Data(#"{"text":"x","repeat":99}"#.utf8))
        #expect(outOfRange.status == 422)
        #expect(outOfRange.errorCode == "validation_failed")
        let details = (outOfRange.json["error"] as? [String: Any])?["details"] as? [String: Any]
        #expect(details?["repeat"] != nil)
    }

    @Test func oversizedBodyIsRefusedWith413() async throws {
        let host = try await HostProcess.start(config: Configs.examples)
        defer { Task { await host.stop() } }
        let response = try await host.request("POST", "/api/v1/examples/c/echo/big", body: Data(repeating: 0x61, count: 4097))
        #expect(response.status == 413)
        #expect(response.errorCode == "payload_too_large")
        // Exactly at the limit is accepted.
        let atLimit = try await host.request("POST", "/api/v1/examples/c/echo/big", body: Data(repeating: 0x61, count: 4096))
        #expect(atLimit.status == 200)
        #expect(atLimit.json["body_length"] as? Int == 4096)
    }

    @Test func manyParallelRequestsGetTheirOwnAnswers() async throws {
        let host = try await HostProcess.start(config: Configs.examples)
        defer { Task { await host.stop() } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    if index.isMultiple(of: 2) {
                        let response = try await host.request(
                            "POST",
                            "/api/v1/examples/c/echo/n\(index)?q=\(index)",
                            body: Data("body-\(index)".utf8)
                        )
                        #expect(response.status == 200)
                        #expect(response.json["name"] as? String == "n\(index)")
                        #expect(response.json["q"] as? String == "\(index)")
                        #expect(response.json["body"] as? String == "body-\(index)")
                    } else {
                        let response = try await host.get("/api/v1/examples/swift/greet/p\(index)")
                        #expect(response.status == 200)
                        #expect(response.json["greeting"] as? String == "Ahoy, p\(index)!")
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    @Test func middlewarePrincipalReachesHandlersAndRouteRequirementsAreEnforced() async throws {
        let host = try await HostProcess.start(config: Configs.examples + "\ntrust_principal_header = true\n")
        defer { Task { await host.stop() } }
        let anonymous = try await host.get("/api/v1/examples/swift/whoami")
        #expect(anonymous.status == 200)
        #expect(anonymous.json["principal"] is NSNull)

        let user = try await host.get("/api/v1/examples/swift/whoami", headers: ["X-Example-Principal": "9007199254740993:ada:user"])
        let principal = user.json["principal"] as? [String: Any]
        #expect(principal?["user_id"] as? String == "9007199254740993")
        #expect(principal?["handle"] as? String == "ada")
        #expect(principal?["role"] as? String == "user")

        let noLogin = try await host.get("/api/v1/examples/swift/admin")
        #expect(noLogin.status == 401)
        #expect(noLogin.errorCode == "unauthorized")
        let notAdmin = try await host.get("/api/v1/examples/swift/admin", headers: ["X-Example-Principal": "1:ada:user"])
        #expect(notAdmin.status == 403)
        #expect(notAdmin.errorCode == "forbidden")
        let admin = try await host.get("/api/v1/examples/swift/admin", headers: ["X-Example-Principal": "2:root:admin"])
        #expect(admin.status == 200)
        #expect(admin.json["admin"] as? String == "root")
    }

    @Test func pluginCommandRunsThroughTheHost() throws {
        let result = try HostProcess.run(["example-hello", "Grace"], config: Configs.examples)
        #expect(result.status == 0)
        #expect(result.stdout.contains("Ahoy, Grace!"))
    }
}
