import Foundation
import ImageAppTesting
import Testing

/// How the host takes requests in (issue 14, item 3): a caller a route refuses is answered before a byte of their
/// body is read, `Expect: 100-continue` is honoured, slow headers and bodies are cut off, bodies in memory share a
/// budget, and media files are streamed from disk.
@Suite(.timeLimit(.minutes(12)))
struct RequestIntakeTests {
    /// The head of a raw request.
    private static func head(_ method: String, _ path: String, _ fields: [String: String]) -> String {
        "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\n" + fields.map { "\($0.key): \($0.value)\r\n" }.joined() + "\r\n"
    }

    @Test func aRefusedCallerIsAnsweredBeforeTheBodyIsRead() async throws {
        try await withAccounts { accounts in
            let port = accounts.host.baseURL.port!
            // An 8 MB upload announced, nothing sent: the 401 comes at once, and the connection is closed after it.
            for expect in [false, true] {
                let connection = try RawConnection(port: port)
                var fields = ["Content-Type": "multipart/form-data; boundary=x", "Content-Length": "8000000"]
                if expect { fields["Expect"] = "100-continue" }
                try connection.send(Self.head("PUT", "/api/v1/me/avatar", fields))
                let text = connection.receive(timeout: .seconds(5)) { $0.contains("\"unauthorized\"") }.text
                #expect(text.hasPrefix("HTTP/1.1 401"), "\(text)")
                #expect(!text.contains("100 Continue"), "no 100 Continue for a caller who is turned away")
                #expect(text.lowercased().contains("connection: close"))
                #expect(connection.receive(timeout: .seconds(5)).closed, "the host closes the connection after the refusal")
            }
            // A caller the route takes gets 100 Continue first, then the answer to the body it sends.
            let (token, _, _) = try await accounts.register("intake")
            let body = #"{"display_name":"Intake"}"#
            let connection = try RawConnection(port: port)
            try connection.send(
                Self.head(
                    "PATCH",
                    "/api/v1/me",
                    [
                        "Authorization": "Bearer \(token)", "Content-Type": "application/json", "Content-Length": "\(body.utf8.count)",
                        "Expect": "100-continue",
                    ]
                )
            )
            let interim = connection.receive(timeout: .seconds(5)) { $0.contains("\r\n\r\n") }.text
            #expect(interim.hasPrefix("HTTP/1.1 100 Continue"), "\(interim)")
            try connection.send(body)
            let final = connection.receive(timeout: .seconds(5)) { $0.contains("\"Intake\"") }.text
            #expect(final.hasPrefix("HTTP/1.1 200"), "\(final)")
        }
    }

    @Test func slowHeadersAndBodiesAreCutOff() async throws {
        let hostLines = "header_timeout_seconds = 1\nbody_timeout_seconds = 4\nbody_min_bytes_per_second = 1000\n"
        try await withHost(plugins: ["example-swift": ""], host: hostLines, database: false, redis: false) { host in
            let port = host.baseURL.port!
            // Half a header, then nothing: closed within the header timeout, no answer.
            let header = try RawConnection(port: port)
            try header.send("GET /healthz HTTP/1.1\r\nHost: x\r\n")
            let started = ContinuousClock.now
            let cut = header.receive(timeout: .seconds(10))
            #expect(cut.closed && cut.text.isEmpty)
            #expect(ContinuousClock.now - started < .seconds(5))

            // A body that stops after one byte: closed within the body allowance.
            let body = try RawConnection(port: port)
            try body.send(Self.head("POST", "/api/v1/examples/swift/echo", ["Content-Type": "application/json", "Content-Length": "100"]) + "{")
            #expect(body.receive(timeout: .seconds(10)).closed)

            // A body sent in pieces at a fair rate (5,000 bytes a second, each piece buying five more seconds), taking
            // longer than the base timeout in all, is read in full. (Generous margins: a loaded machine delays both sides.)
            let text = String(repeating: "a", count: 30_000)
            let json = #"{"text":"\#(text)"}"#
            let steady = try RawConnection(port: port)
            try steady.send(
                Self.head("POST", "/api/v1/examples/swift/echo", ["Content-Type": "application/json", "Content-Length": "\(json.utf8.count)"])
            )
            // Paced on a thread of its own: a sleep on the shared task pool can resume seconds late while other suites
            // run, which the body deadline would rightly count against this client.
            let pieces = Array(json.utf8).chunked(into: 5000)
            let sent: Bool = await withCheckedContinuation { continuation in
                Thread {
                    for (index, piece) in pieces.enumerated() {
                        if index > 0 { Thread.sleep(forTimeInterval: 1) }
                        guard (try? steady.send(Data(piece))) != nil else { return continuation.resume(returning: false) }
                    }
                    continuation.resume(returning: true)
                }.start()
            }
            #expect(sent)
            let answer = steady.receive(timeout: .seconds(10)) { $0.contains(#""repeated""#) && $0.hasSuffix("}") }
            #expect(answer.text.hasPrefix("HTTP/1.1 200"), "\(answer.text.prefix(200))")

            // A keep-alive connection that is simply idle is not a slow header.
            let idle = try RawConnection(port: port)
            try await Task.sleep(for: .seconds(2))
            try idle.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(idle.receive(timeout: .seconds(5)) { $0.contains("\"ok\"") }.text.hasPrefix("HTTP/1.1 200"))
        }
    }

    @Test func bodiesInMemoryShareABudget() async throws {
        try await withHost(
            plugins: ["example-swift": ""],
            // The holder trickles for as long as the test takes on a loaded machine: no read deadline may cut it off.
            host: "body_bytes_in_flight = 1000\nbody_timeout_seconds = 600\n",
            database: false,
            redis: false
        ) { host in
            let json = #"{"text":"\#(String(repeating: "b", count: 789))"}"#
            #expect(json.utf8.count == 800)
            // One request holds 800 bytes of the budget while its body trickles in...
            let holder = try RawConnection(port: host.baseURL.port!)
            try holder.send(
                Self.head("POST", "/api/v1/examples/swift/echo", ["Content-Type": "application/json", "Content-Length": "800"])
                    + String(json.prefix(10))
            )
            // ...(once the host has taken it in: the gauge says so)...
            let metrics = try await eventually(timeout: .seconds(10), interval: .milliseconds(50)) {
                try await host.get("/metrics").text
            } until: {
                $0.contains("imageapp_http_body_bytes_in_flight 800")
            }
            #expect(metrics.contains("imageapp_http_body_bytes_in_flight 800"))
            // ...so another that needs 300 more is turned away, not read.
            let small = Data(#"{"text":"\#(String(repeating: "c", count: 289))"}"#.utf8)
            let refused = try await host.request("POST", "/api/v1/examples/swift/echo", headers: ["Content-Type": "application/json"], body: small)
            #expect(refused.status == 503)
            #expect(refused.errorCode == "server_busy")
            #expect(refused.headers["retry-after"] != nil)
            // Once the first body is in and answered, its bytes are free again.
            try holder.send(String(json.dropFirst(10)))
            #expect(holder.receive(timeout: .seconds(5)) { $0.hasSuffix("}") && $0.contains("repeated") }.text.hasPrefix("HTTP/1.1 200"))
            let again = try await eventually(timeout: .seconds(5)) {
                try await host.request("POST", "/api/v1/examples/swift/echo", headers: ["Content-Type": "application/json"], body: small)
            } until: {
                $0.status == 200
            }
            #expect(again.status == 200)
        }
    }
}

extension Array {
    fileprivate func chunked(into size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
