import Foundation
import ImageAppTesting
import Testing

@testable import ImageAppHost

/// `X-Request-Id` is adopted only from `host.trusted_proxies`: any other client could make two requests share an ID
/// in the logs. A client's own value is logged beside the ID the host made.
@Suite(.timeLimit(.minutes(12)))
struct RequestIDTests {
    private func config(trusted: String) -> String {
        """
        [host]
        log_level = "info"
        log_format = "json"
        trusted_proxies = \(trusted)

        [plugins.example-c]
        enabled = true
        """
    }

    /// The example C plugin echoes the request ID it was handed (`request_id`).
    private func echo(_ host: TestHost, id: String) async throws -> (header: String?, seen: String?) {
        let response = try await host.request("POST", "/api/v1/examples/c/echo/x", headers: ["X-Request-Id": id], body: Data("b".utf8))
        #expect(response.status == 200, "\(response.text)")
        return (response.headers["x-request-id"], response.json["request_id"] as? String)
    }

    @Test func anUntrustedClientsIDIsNotAdopted() async throws {
        try await withHost(config: config(trusted: "[]")) { host in
            let first = try await echo(host, id: "shared-id-1")
            let second = try await echo(host, id: "shared-id-1")
            let firstID = try #require(first.header)
            #expect(firstID != "shared-id-1" && second.header != "shared-id-1")
            #expect(firstID != second.header, "two requests never share an ID")
            #expect(first.seen == firstID, "plugins see the ID the client gets back")
            // The access log keeps the client's value beside the host's ID.
            let logged = try await eventually { () -> String? in
                host.stderr.split(separator: "\n").first { $0.contains(#""request_id":"\#(firstID)""#) }.map(String.init)
            }
            #expect(logged.contains(#""client_request_id":"shared-id-1""#), "\(logged)")
        }
    }

    @Test func aTrustedProxysIDIsAdopted() async throws {
        try await withHost(config: config(trusted: #"["127.0.0.1", "::1"]"#)) { host in
            let echoed = try await echo(host, id: "proxy-id-7")
            #expect(echoed.header == "proxy-id-7")
            #expect(echoed.seen == "proxy-id-7")
            // Even a trusted proxy's value must be a safe token.
            let unsafe = try await echo(host, id: "bad id!")
            #expect(unsafe.header != nil && unsafe.header != "bad id!")
        }
    }

    @Test func aClientsIDIsLoggedSafely() {
        #expect(RequestID.loggable("abc-123") == "abc-123")
        #expect(RequestID.loggable("line\nbreak\u{1b}[31m") == "line?break?[31m")
        #expect(RequestID.loggable(String(repeating: "x", count: 500)).count == 128)
    }
}
