import Foundation
import ImageAppTesting
import Testing

/// Routes that take a form or a plain body (`IA_ROUTE_FORM_OR_BODY`, ABI 1.13), through the test-form-and-service
/// fixture: one handler gets JSON as a body and a form as parts, each under its own limit, a refused caller is
/// answered before either is read, and the OpenAPI document lists both.
@Suite(.timeLimit(.minutes(12)))
struct FormOrBodyRouteTests {
    static let boundary = "form-or-body-7c1e"
    static let path = "/api/v1/test/form-or-body"

    /// A host with the fixture and a small plain-body limit (the form's limit is the route's 100,000 bytes).
    private func withFixture(_ body: (TestHost) async throws -> Void) async throws {
        try await withHost(
            plugins: ["test-form-and-service": ""],
            host: "body_limit_bytes = 1000\n",
            database: false,
            redis: false,
            body
        )
    }

    private static func form(caption: String, image: [UInt8]) -> Data {
        MultipartForm.body(
            [
                (#"form-data; name="caption""#, nil, Array(caption.utf8)),
                (#"form-data; name="images"; filename="a.jpg""#, "image/jpeg", image),
            ],
            boundary: boundary
        )
    }

    private static func head(_ path: String, _ fields: [String: String]) -> String {
        "POST \(path) HTTP/1.1\r\nHost: localhost\r\n" + fields.map { "\($0.key): \($0.value)\r\n" }.joined() + "\r\n"
    }

    @Test func jsonIsABodyAndAFormIsParts() async throws {
        try await withFixture { host in
            let json = #"{"caption":"hello"}"#
            let plain = try await host.request("POST", Self.path, headers: ["Content-Type": "application/json"], body: Data(json.utf8))
            #expect(plain.status == 200, "\(plain.text)")
            #expect(plain.json["multipart"] as? Bool == false)
            #expect(plain.json["body"] as? String == json)
            #expect(plain.json["parts"] as? [String] == [])
            // request_part_count: IA_OK and 0, not IA_ERR_UNSUPPORTED.
            #expect(plain.json["part_count_status"] as? Int == 0)
            #expect(plain.json["part_count"] as? Int == 0)

            // No body and no Content-Type at all: a plain request with an empty body.
            let empty = try await host.request("POST", Self.path)
            #expect(empty.status == 200, "\(empty.text)")
            #expect(empty.json["multipart"] as? Bool == false)
            #expect(empty.json["body"] as? String == "")

            // A form, its media type in any case and with parameters: parts, and no body.
            let image = [UInt8](repeating: 0xAB, count: 20_000)
            let form = try await host.request(
                "POST",
                Self.path,
                headers: ["Content-Type": "Multipart/Form-Data; charset=utf-8; boundary=\(Self.boundary)"],
                body: Self.form(caption: "a caption", image: image)
            )
            #expect(form.status == 200, "\(form.text)")
            #expect(form.json["multipart"] as? Bool == true)
            #expect(form.json["parts"] as? [String] == ["caption", "images"])
            #expect(form.json["texts"] as? [String] == ["a caption", "<20000 bytes>"])
            #expect(form.json["body"] as? String == "")
            #expect(form.json["part_count"] as? Int == 2)

            // A form is still held to the multipart rules: a bad one is 400, not a plain body.
            let broken = try await host.request(
                "POST",
                Self.path,
                headers: ["Content-Type": "multipart/form-data"],
                body: Data("not a form".utf8)
            )
            expectRefusal(broken, 400, "invalid_multipart")
        }
    }

    @Test func eachKindOfBodyHasItsOwnLimit() async throws {
        try await withFixture { host in
            // An announced plain body over body_limit_bytes: 413 before a byte is read, and the connection closes.
            let connection = try RawConnection(port: host.baseURL.port!)
            try connection.send(Self.head(Self.path, ["Content-Type": "application/json", "Content-Length": "5000000"]))
            let text = connection.receive(timeout: .seconds(5)) { $0.contains("payload_too_large") }.text
            #expect(text.hasPrefix("HTTP/1.1 413"), "\(text)")
            #expect(text.lowercased().contains("connection: close"))
            #expect(connection.receive(timeout: .seconds(5)).closed)

            let json = #"{"caption":"\#(String(repeating: "x", count: 2000))"}"#
            let tooLarge = try await host.request("POST", Self.path, headers: ["Content-Type": "application/json"], body: Data(json.utf8))
            expectRefusal(tooLarge, 413, "payload_too_large")

            // A form far over the plain limit but within the route's own is read.
            let form = try await host.request(
                "POST",
                Self.path,
                headers: ["Content-Type": "multipart/form-data; boundary=\(Self.boundary)"],
                body: Self.form(caption: "big", image: [UInt8](repeating: 1, count: 60_000))
            )
            #expect(form.status == 200, "\(form.text)")
            // And one over the route's limit is refused as a form.
            let hugeForm = try await host.request(
                "POST",
                Self.path,
                headers: ["Content-Type": "multipart/form-data; boundary=\(Self.boundary)"],
                body: Self.form(caption: "huge", image: [UInt8](repeating: 1, count: 150_000))
            )
            expectRefusal(hugeForm, 413, "payload_too_large")
            #expect(refusalDetails(hugeForm)["limit"] == "total_bytes")
        }
    }

    @Test func aRefusedCallerIsAnsweredBeforeEitherBody() async throws {
        try await withFixture { host in
            // The fixture's middleware runs before the body; REQUIRE_USER turns an anonymous caller away before a byte
            // of either kind of body is read.
            for contentType in ["application/json", "multipart/form-data; boundary=x"] {
                let connection = try RawConnection(port: host.baseURL.port!)
                try connection.send(
                    Self.head(
                        Self.path + "/private",
                        ["Content-Type": contentType, "Content-Length": "900", "Expect": "100-continue"]
                    )
                )
                let text = connection.receive(timeout: .seconds(5)) { $0.contains("\"unauthorized\"") }.text
                #expect(text.hasPrefix("HTTP/1.1 401"), "\(contentType): \(text)")
                #expect(!text.contains("100 Continue"))
                #expect(text.lowercased().contains("connection: close"))
            }
            // A caller the route takes gets either kind through.
            let user = ["X-Test-User": "7"]
            let json = try await host.request(
                "POST",
                Self.path + "/private",
                headers: user.merging(["Content-Type": "application/json"]) { $1 },
                body: Data(#"{"caption":"mine"}"#.utf8)
            )
            #expect(json.status == 200, "\(json.text)")
            #expect(json.json["multipart"] as? Bool == false)
            let form = try await host.request(
                "POST",
                Self.path + "/private",
                headers: user.merging(["Content-Type": "multipart/form-data; boundary=\(Self.boundary)"]) { $1 },
                body: Self.form(caption: "mine", image: [1, 2, 3])
            )
            #expect(form.status == 200, "\(form.text)")
            #expect(form.json["parts"] as? [String] == ["caption", "images"])
        }
    }

    @Test func theOpenAPIDocumentListsBothBodies() async throws {
        try await withFixture { host in
            let response = try await host.get("/api/v1/openapi.json")
            #expect(response.status == 200)
            let paths = response.json["paths"] as? [String: Any] ?? [:]
            let operation = (paths[Self.path] as? [String: Any])?["post"] as? [String: Any]
            let content = (operation?["requestBody"] as? [String: Any])?["content"] as? [String: Any] ?? [:]
            #expect(Set(content.keys) == ["multipart/form-data", "application/json"])
            let form = (content["multipart/form-data"] as? [String: Any])?["schema"] as? [String: Any]
            let json = (content["application/json"] as? [String: Any])?["schema"] as? [String: Any]
            #expect((form?["properties"] as? [String: Any])?["images"] != nil)
            #expect(json?["required"] as? [String] == ["caption"])

            #expect(try OpenAPIValidator.accepts(response.body), "openapi-spec-validator rejected the document")
        }
    }

    /// What a 1.13 host refuses at load, naming the plugin and the problem.
    @Test(arguments: [
        ("form-or-body-alone", "sets IA_ROUTE_FORM_OR_BODY without IA_ROUTE_MULTIPART"),
        (
            "service-query",
            "query 'test-form-and-service.bad-query' of plugin 'test-form-and-service': IA_COMMAND_NO_TRANSACTION is for commands only"
        ),
        (
            "serializable-service",
            "command 'test-form-and-service.bad-command' of plugin 'test-form-and-service': IA_COMMAND_NO_TRANSACTION is for commands only, without IA_COMMAND_SERIALIZABLE"
        ),
    ])
    func badFlagCombinationsAreRefused(mode: String, expected: String) throws {
        let result = try HostProcess.run(["check-config"], config: Configs.with([("test-form-and-service", "mode = \"\(mode)\"")]))
        #expect(result.status != 0, "\(mode): exit status")
        #expect(result.stderr.contains("cannot load plugin 'test-form-and-service'"), "\(mode):\n\(result.stderr)")
        #expect(result.stderr.contains(expected), "\(mode):\n\(result.stderr)")
    }
}
