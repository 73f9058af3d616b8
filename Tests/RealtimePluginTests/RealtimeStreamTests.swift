import Foundation
import ImageAppHost
import ImageAppTesting
import Testing

/// `GET /api/v1/stream` and the host's streams and channels (ABI 1.12), against real hosts sharing one Redis.
@Suite(.serialized)
struct RealtimeStreamTests {
    static let plugins = """
        [plugins.realtime]
        enabled = true

        [plugins.test-push]
        enabled = true
        """

    /// Opens a stream on `host` and waits for its head.
    static func openStream(_ host: HostProcess, path: String = "/api/v1/stream", headers: [String: String] = [:]) async throws -> EventStreamClient {
        let client = try EventStreamClient(port: host.baseURL.port!, path: path, headers: headers)
        await client.read(timeout: .seconds(10)) { $0.status != nil }
        return client
    }

    /// Logs `login` in with a browser session; its `ia_session=...` cookie (empty when none came).
    static func sessionCookie(_ accounts: AccountsHost, login: String) async throws -> String {
        let response = try await accounts.send(
            "POST",
            "/api/v1/auth/login",
            json: ["login": login, "password": "correct horse battery", "session": "cookie"]
        )
        let header = response.headers["set-cookie"] ?? ""
        return header.range(of: #"ia_session=[A-Za-z0-9_-]{43}"#, options: .regularExpression).map { String(header[$0]) } ?? ""
    }

    /// Waits until `count` processes subscribe to the user's channel in Redis (subscriptions are asynchronous).
    static func waitForSubscribers(_ accounts: AccountsHost, user: String, count: Int) async throws {
        let channel = "\(accounts.testHost.resources.namespace):rt:realtime.user:\(user)"
        let connection = try RedisConnection(url: TestRedis.url)
        _ = try await eventually {
            try connection.command("PUBSUB", "NUMSUB", channel).array?.last?.int ?? 0
        } until: {
            $0 == count
        }
    }

    @Test func messagePublishedOnOneHostReachesStreamsOnAnotherOnce() async throws {
        try await withAccounts(plugins: { _ in Self.plugins }) { accounts in
            // Host B logs every request, to show that the query's token is not among them.
            let other = try await accounts.testHost.startInstance(environment: ["IMAGEAPP_HOST_LOG_LEVEL": "info"])
            let (token, userID, _) = try await accounts.register("rita")
            let bearer = try await Self.openStream(other, headers: ["Authorization": "Bearer \(token)"])
            let query = try await Self.openStream(other, path: "/api/v1/stream?access_token=\(token)")
            #expect(bearer.status == 200 && query.status == 200)
            #expect(bearer.head.lowercased().contains("content-type: text/event-stream"))
            #expect(bearer.head.lowercased().contains("x-accel-buffering: no"))
            // One subscription on host B for both streams.
            try await Self.waitForSubscribers(accounts, user: userID, count: 1)

            let pushed = try await accounts.send("POST", "/api/v1/test/push/\(userID)?type=unread_count", json: ["count": 3])
            #expect(pushed.status == 204)
            for client in [bearer, query] {
                await client.read(timeout: .seconds(10)) { !$0.events.isEmpty }
                await client.read(timeout: .milliseconds(500))
                #expect(client.events == [.init(event: "unread_count", data: #"{"type":"unread_count","data":{"count":3}}"#)])
            }
            // The token in the query never reaches the access log.
            let log = (try? String(contentsOfFile: other.stdoutPath, encoding: .utf8)) ?? ""
            let errors = (try? String(contentsOfFile: other.stderrPath, encoding: .utf8)) ?? ""
            #expect(errors.contains("/api/v1/stream") && !log.contains(token) && !errors.contains(token))
        }
    }

    @Test func aStreamCarriesOnlyItsOwnersChannel() async throws {
        try await withAccounts(plugins: { _ in Self.plugins }) { accounts in
            let (ada, adaID, _) = try await accounts.register("ada")
            let (_, bobID, _) = try await accounts.register("bob")
            // Every way of naming another channel is ignored.
            let path = "/api/v1/stream?user_id=\(bobID)&channel=realtime.user:\(bobID)&channels=realtime.user:\(bobID)&user=bob"
            let stream = try await Self.openStream(accounts.host, path: path, headers: ["Authorization": "Bearer \(ada)", "X-User-Id": bobID])
            #expect(stream.status == 200)
            try await Self.waitForSubscribers(accounts, user: adaID, count: 1)
            #expect(try await accounts.send("POST", "/api/v1/test/push/\(bobID)?type=feed.post", json: ["post_id": "1"]).status == 204)
            #expect(try await accounts.send("POST", "/api/v1/test/push/\(adaID)?type=feed.post", json: ["post_id": "2"]).status == 204)
            await stream.read(timeout: .seconds(10)) { !$0.events.isEmpty }
            await stream.read(timeout: .milliseconds(500))
            #expect(stream.events.map(\.data) == [#"{"type":"feed.post","data":{"post_id":"2"}}"#])

            // No credentials, a bad token, and a cross-site page using the session cookie are all refused.
            #expect(try await Self.openStream(accounts.host).status == 401)
            #expect(try await Self.openStream(accounts.host, path: "/api/v1/stream?access_token=nonsense").status == 401)
            let cookie = try await Self.sessionCookie(accounts, login: "ada")
            #expect(cookie.contains("="))
            let evil = try await Self.openStream(accounts.host, headers: ["Cookie": cookie, "Origin": "https://evil.example"])
            #expect(evil.status == 403)
            let port = accounts.host.baseURL.port!
            let same = try await Self.openStream(accounts.host, headers: ["Cookie": cookie, "Origin": "http://127.0.0.1:\(port)"])
            #expect(same.status == 200)
        }
    }

    @Test func loggingOutAndBansCloseStreams() async throws {
        try await withAccounts(plugins: { _ in Self.plugins }) { accounts in
            let other = try await accounts.startInstance()
            let admin = try await accounts.createAdmin("boss")
            let (token, userID, _) = try await accounts.register("carl")
            let second = try await accounts.login("carl").json["token"] as? String ?? ""
            let loggingOut = try await Self.openStream(other, headers: ["Authorization": "Bearer \(token)"])
            let staying = try await Self.openStream(other, headers: ["Authorization": "Bearer \(second)"])
            try await Self.waitForSubscribers(accounts, user: userID, count: 1)

            #expect(try await accounts.send("POST", "/api/v1/auth/logout", token: token).status == 204)
            #expect(await loggingOut.read(timeout: .seconds(5)) { $0.ended })
            // The other session's stream stays open.
            #expect(!(await staying.read(timeout: .seconds(1)) { $0.ended }))

            #expect(try await accounts.send("POST", "/api/v1/admin/users/carl/ban", json: ["reason": "spam"], token: admin).status == 200)
            #expect(await staying.read(timeout: .seconds(5)) { $0.ended })
            // The subscription ended with the streams.
            try await Self.waitForSubscribers(accounts, user: userID, count: 0)
        }
    }

    @Test func aSlowReaderIsDisconnectedWhileOthersKeepReceiving() async throws {
        try await withAccounts(host: "stream_queue_messages = 8\nstream_write_timeout_seconds = 60", plugins: { _ in Self.plugins }) { accounts in
            let (token, userID, _) = try await accounts.register("dana")
            let port = accounts.host.baseURL.port!
            let slow = try EventStreamClient(port: port, path: "/api/v1/stream", headers: ["Authorization": "Bearer \(token)"], receiveBuffer: 4096)
            let fast = try await Self.openStream(accounts.host, headers: ["Authorization": "Bearer \(token)"])
            try await Self.waitForSubscribers(accounts, user: userID, count: 1)
            let big = String(repeating: "x", count: 32 * 1024)
            let messages = 300
            // The fast client reads all along, on its own thread.
            let reader = Task { await fast.read(timeout: .seconds(60)) { $0.events.count == messages } }
            for index in 0..<messages {
                _ = try await accounts.send("POST", "/api/v1/test/push/\(userID)?type=post.counts", json: ["n": index, "pad": big])
            }
            #expect(await reader.value)
            #expect(!fast.ended)
            // The slow one was cut: what it can still read ends early.
            #expect(await slow.read(timeout: .seconds(20)) { $0.ended })
            #expect(slow.events.count < messages)
            let metrics = try await accounts.host.get("/metrics").text
            #expect(metrics.contains("imageapp_stream_slow_consumer_disconnects_total"))
        }
    }

    @Test func shutdownClosesStreams() async throws {
        try await withAccounts(plugins: { _ in Self.plugins }) { accounts in
            let other = try await accounts.startInstance()
            let (token, userID, _) = try await accounts.register("erin")
            let stream = try await Self.openStream(other, headers: ["Authorization": "Bearer \(token)"])
            try await Self.waitForSubscribers(accounts, user: userID, count: 1)
            let started = ContinuousClock.now
            other.signal(SIGTERM)
            #expect(await stream.read(timeout: .seconds(10)) { $0.ended })
            #expect(try await other.waitForExit(timeout: .seconds(10)) == 0)
            #expect(ContinuousClock.now - started < .seconds(8))
        }
    }

    /// A host with test-push's unauthenticated streams, a 1 s request timeout and a 0.3 s heartbeat.
    static func withQuickHeartbeats(_ body: (TestHost) async throws -> Void) async throws {
        try await withHost(
            config: { resources in
                """
                [host]
                \(resources.hostLines())
                request_timeout_seconds = 1
                stream_heartbeat_seconds = 0.3

                [plugins.test-push]
                enabled = true
                """
            },
            body
        )
    }

    @Test func heartbeatsKeepAnIdleStreamOpenPastTheRequestTimeout() async throws {
        try await Self.withQuickHeartbeats { host in
            let stream = try await Self.openStream(host.process, path: "/api/v1/test/stream/42")
            #expect(stream.status == 200)
            #expect(await stream.read(timeout: .seconds(3)) { $0.comments >= 3 })
            #expect(!stream.ended)
            #expect(try await host.process.send("POST", "/api/v1/test/close/42", json: [String: String]()).status == 204)
            #expect(await stream.read(timeout: .seconds(5)) { $0.ended })
        }
    }
}
