import Foundation
import ImageAppTesting
import Testing

/// `GET /api/v1/stream` as a WebSocket: authentication before the upgrade, delivery across hosts, pings, client frames,
/// slow readers, logout and shutdown, against real hosts sharing one Redis.
@Suite(.serialized)
struct RealtimeWebSocketTests {
    /// Opens a WebSocket on `host` and waits for the response head.
    static func connect(_ host: HostProcess, path: String = "/api/v1/stream", headers: [String: String] = [:]) async throws -> WebSocketClient {
        let client = try WebSocketClient(port: host.baseURL.port!, path: path, headers: headers)
        await client.read(timeout: .seconds(10)) { $0.status != nil }
        return client
    }

    @Test func aWebSocketOnAnotherHostReceivesItsOwnMessagesOnce() async throws {
        try await withAccounts(plugins: { _ in RealtimeStreamTests.plugins }) { accounts in
            let other = try await accounts.startInstance()
            let (token, userID, _) = try await accounts.register("wanda")
            let (_, otherID, _) = try await accounts.register("xavi")
            let bearer = try await Self.connect(other, headers: ["Authorization": "Bearer \(token)"])
            // A query that names another user's channel is ignored, like any other parameter.
            let query = try await Self.connect(other, path: "/api/v1/stream?access_token=\(token)&user_id=\(otherID)")
            let events = try await RealtimeStreamTests.openStream(other, headers: ["Authorization": "Bearer \(token)"])
            #expect(bearer.status == 101 && query.status == 101 && events.status == 200)
            #expect(bearer.head.lowercased().contains("upgrade: websocket"))
            #expect(bearer.head.lowercased().contains("x-request-id:"))
            // One subscription on host B for the three streams.
            try await RealtimeStreamTests.waitForSubscribers(accounts, user: userID, count: 1)

            #expect(try await accounts.send("POST", "/api/v1/test/push/\(otherID)?type=feed.post", json: ["post_id": "9"]).status == 204)
            #expect(try await accounts.send("POST", "/api/v1/test/push/\(userID)?type=unread_count", json: ["count": 3]).status == 204)
            let expected = #"{"type":"unread_count","data":{"count":3}}"#
            for client in [bearer, query] {
                await client.read(timeout: .seconds(10)) { !$0.messages.isEmpty }
                await client.read(timeout: .milliseconds(500))
                #expect(client.messages == [expected])
                #expect(client.close == nil && !client.ended)
            }
            await events.read(timeout: .seconds(10)) { !$0.events.isEmpty }
            #expect(events.events == [.init(event: "unread_count", data: expected)])
            let metrics = try await other.get("/metrics").text
            #expect(metrics.contains(#"imageapp_streams_open{kind="websocket"} 2"#))
            #expect(metrics.contains(#"imageapp_streams_open{kind="sse"} 1"#))
            #expect(metrics.contains(#"imageapp_stream_messages_sent_total{kind="websocket"} 2"#))
        }
    }

    @Test func upgradesAreAuthenticatedBeforeTheyAreAccepted() async throws {
        try await withAccounts(plugins: { _ in RealtimeStreamTests.plugins }) { accounts in
            _ = try await accounts.register("yuri")
            // No credentials and a bad token get the route's 401 as an HTTP response: nothing is upgraded.
            let anonymous = try await Self.connect(accounts.host)
            await anonymous.read(timeout: .seconds(2)) { $0.body.contains("}}") }
            #expect(anonymous.status == 401)
            #expect(anonymous.body.contains(#""code":"unauthorized""#))
            #expect(!anonymous.head.lowercased().contains("upgrade: websocket"))
            #expect(try await Self.connect(accounts.host, path: "/api/v1/stream?access_token=nonsense").status == 401)

            // The session cookie: a cross-site page is refused with 403, the site itself is upgraded.
            let cookie = try await RealtimeStreamTests.sessionCookie(accounts, login: "yuri")
            #expect(cookie.contains("="))
            let evil = try await Self.connect(accounts.host, headers: ["Cookie": cookie, "Origin": "https://evil.example"])
            await evil.read(timeout: .seconds(2)) { $0.body.contains("origin_not_allowed") }
            #expect(evil.status == 403 && evil.body.contains("origin_not_allowed"))
            let port = accounts.host.baseURL.port!
            let same = try await Self.connect(accounts.host, headers: ["Cookie": cookie, "Origin": "http://127.0.0.1:\(port)"])
            #expect(same.status == 101)

            // A refused upgrade leaves an ordinary keep-alive connection; a later upgrade on it cannot be accepted.
            let raw = try RawConnection(port: port)
            try raw.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            #expect(await raw.read(timeout: .seconds(5)) { $0.contains("\r\n\r\n") }.text.hasPrefix("HTTP/1.1 200"))
            try raw.send(
                "GET /api/v1/stream HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nCookie: \(cookie)\r\n\r\n"
            )
            let late = await raw.read(timeout: .seconds(5)) { $0.contains("websocket_unavailable") }.text
            #expect(late.hasPrefix("HTTP/1.1 426") && late.contains("websocket_unavailable"))

            // A malformed handshake (an unknown protocol version) is not upgraded, and still answered.
            let old = try RawConnection(port: port)
            try old.send(
                "GET /api/v1/stream HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\nCookie: \(cookie)\r\n\r\n"
            )
            #expect(await old.read(timeout: .seconds(5)) { $0.contains("websocket_unavailable") }.text.hasPrefix("HTTP/1.1 426"))
        }
    }

    @Test func pingsClientFramesAndTimeouts() async throws {
        try await RealtimeStreamTests.withQuickHeartbeats { host in
            let socket = try await Self.connect(host.process, path: "/api/v1/test/stream/42")
            #expect(socket.status == 101)
            // Pings every heartbeat, answered, keep it open past the request timeout; text from the client is ignored
            // and its ping gets a pong with the same payload.
            try socket.send(text: "hello?")
            try socket.ping([1, 2, 3])
            #expect(await socket.read(timeout: .seconds(3)) { $0.pings >= 4 && !$0.pongs.isEmpty })
            #expect(socket.pongs == [[1, 2, 3]] && socket.messages.isEmpty && !socket.ended)
            #expect(try await host.process.send("POST", "/api/v1/test/push/42?type=t", json: ["n": 1]).status == 204)
            #expect(await socket.read(timeout: .seconds(3)) { $0.messages.count == 1 })
            #expect(socket.messages == [#"{"type":"t","data":{"n":1}}"#])

            // A client that stops answering pings is closed (1001) within two heartbeats or so.
            socket.answersPings = false
            #expect(await socket.read(timeout: .seconds(3)) { $0.ended })
            #expect(socket.close == .init(code: 1001, reason: "ping_timeout"))

            // A client's close is answered with its code, and the connection ends.
            let leaving = try await Self.connect(host.process, path: "/api/v1/test/stream/43")
            try leaving.sendClose(code: 1000)
            #expect(await leaving.read(timeout: .seconds(3)) { $0.ended })
            #expect(leaving.close?.code == 1000)

            // Closing the channel closes the socket with 1000 and the reason.
            let closing = try await Self.connect(host.process, path: "/api/v1/test/stream/44")
            try await Task.sleep(for: .milliseconds(200))
            #expect(try await host.process.send("POST", "/api/v1/test/close/44", json: [String: String]()).status == 204)
            #expect(await closing.read(timeout: .seconds(5)) { $0.ended })
            #expect(closing.close == .init(code: 1000, reason: "test"))
        }
    }

    @Test func aSlowWebSocketReaderIsDisconnectedWhileOthersKeepReceiving() async throws {
        // A queue of 64 leaves the reading client room when the machine is busy; the one that does not read still
        // overflows it long before the 300 messages are out.
        try await withAccounts(host: "stream_queue_messages = 64\nstream_write_timeout_seconds = 60", plugins: { _ in RealtimeStreamTests.plugins }) {
            accounts in
            let (token, userID, _) = try await accounts.register("zoe")
            let port = accounts.host.baseURL.port!
            let slow = try WebSocketClient(port: port, path: "/api/v1/stream", headers: ["Authorization": "Bearer \(token)"], receiveBuffer: 4096)
            let fast = try await Self.connect(accounts.host, headers: ["Authorization": "Bearer \(token)"])
            #expect(fast.status == 101)
            try await RealtimeStreamTests.waitForSubscribers(accounts, user: userID, count: 1)
            let big = String(repeating: "x", count: 32 * 1024)
            let messages = 300
            let reader = Task { await fast.read(timeout: .seconds(60)) { $0.messages.count == messages } }
            for index in 0..<messages {
                _ = try await accounts.send("POST", "/api/v1/test/push/\(userID)?type=post.counts", json: ["n": index, "pad": big])
            }
            #expect(await reader.value)
            #expect(!fast.ended)
            #expect(await slow.read(timeout: .seconds(20)) { $0.ended })
            #expect(slow.messages.count < messages)
            let metrics = try await accounts.host.get("/metrics").text
            #expect(metrics.contains(#"imageapp_stream_slow_consumer_disconnects_total{kind="websocket"} 1"#))
        }
    }

    @Test func loggingOutClosesTheWebSocket() async throws {
        try await withAccounts(plugins: { _ in RealtimeStreamTests.plugins }) { accounts in
            let other = try await accounts.startInstance()
            let (token, userID, _) = try await accounts.register("abel")
            let socket = try await Self.connect(other, headers: ["Authorization": "Bearer \(token)"])
            #expect(socket.status == 101)
            try await RealtimeStreamTests.waitForSubscribers(accounts, user: userID, count: 1)
            #expect(try await accounts.send("POST", "/api/v1/auth/logout", token: token).status == 204)
            #expect(await socket.read(timeout: .seconds(5)) { $0.ended })
            #expect(socket.close == .init(code: 1000, reason: "session_ended"))
            try await RealtimeStreamTests.waitForSubscribers(accounts, user: userID, count: 0)
        }
    }

    @Test func shutdownClosesWebSocketsGoingAway() async throws {
        try await withAccounts(plugins: { _ in RealtimeStreamTests.plugins }) { accounts in
            let other = try await accounts.startInstance()
            let (token, userID, _) = try await accounts.register("bess")
            let socket = try await Self.connect(other, headers: ["Authorization": "Bearer \(token)"])
            try await RealtimeStreamTests.waitForSubscribers(accounts, user: userID, count: 1)
            let started = ContinuousClock.now
            other.signal(SIGTERM)
            #expect(await socket.read(timeout: .seconds(10)) { $0.ended })
            #expect(socket.close == .init(code: 1001, reason: "shutdown"))
            #expect(try await other.waitForExit(timeout: .seconds(10)) == 0)
            #expect(ContinuousClock.now - started < .seconds(8))
        }
    }
}
