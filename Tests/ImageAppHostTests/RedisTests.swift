import Dispatch
import Foundation
import ImageAppTesting
import Logging
import Synchronization
import Testing

@testable import ImageAppHost

/// The Redis client layer against the real server that scripts/lib/engines.sh starts (database 15).
///
/// Every test works under its own random key prefix and client name, so it never touches
/// another test's keys or connections; nothing flushes the database.
@Suite(.serialized)
struct RedisTests {
    static let url: RedisURL = {
        let text = ProcessInfo.processInfo.environment["IMAGEAPP_TEST_REDIS_URL"] ?? "redis://127.0.0.1:63799/15"
        do {
            return try RedisURL(text)
        } catch {
            fatalError("IMAGEAPP_TEST_REDIS_URL: \(error)")
        }
    }()

    /// A key prefix (and client name) no other test uses.
    let prefix = "test:\(UUID().uuidString.prefix(8).lowercased()):"

    private func connect() throws -> RedisConnection {
        try RedisConnection(url: Self.url, timeout: .seconds(5))
    }

    private func key(_ name: String) -> [UInt8] { Array((prefix + name).utf8) }

    // MARK: Connection

    @Test func binarySafeValuesRoundTrip() throws {
        let connection = try connect()
        let value = (0...255).map { UInt8($0) }
        let binaryKey = key("bin") + [0x00, 0xFF, 0x0D, 0x0A]
        #expect(
            try connection.command([Array("SET".utf8), binaryKey, value, Array("EX".utf8), Array("60".utf8)])
                == .status("OK")
        )
        #expect(try connection.command([Array("GET".utf8), binaryKey]) == .string(value))
        #expect(try connection.command([Array("STRLEN".utf8), binaryKey]) == .integer(256))
        // Empty values and empty arguments survive too.
        try connection.command([Array("SET".utf8), key("empty"), [], Array("EX".utf8), Array("60".utf8)])
        #expect(try connection.command([Array("GET".utf8), key("empty")]) == .string([]))
        #expect(try connection.command([Array("GET".utf8), key("missing")]) == .null)
    }

    @Test func pipelineOfAHundredCommandsIsAnsweredInOrder() throws {
        let connection = try connect()
        let counter = key("counter")
        var commands = (0..<99).map { _ in [Array("INCR".utf8), counter] }
        commands.append([Array("EXPIRE".utf8), counter, Array("60".utf8)])
        let replies = try connection.pipeline(commands)
        #expect(replies.count == 100)
        #expect(Array(replies.prefix(99)) == (1...99).map { .integer(Int64($0)) })
        #expect(replies[99] == .integer(1))
        #expect(try connection.command("GET", prefix + "counter").int == 99)
        #expect(try connection.pipeline([]) == [])
    }

    @Test func serverErrorsAreThrownByCommandsAndKeptInPipelines() throws {
        let connection = try connect()
        let unknown = #expect(throws: RedisError.self) { try connection.command("NOSUCHCOMMAND", "x") }
        #expect(unknown?.code == .server)
        #expect(unknown?.serverErrorPrefix == "ERR")
        #expect(unknown?.message.contains("unknown command") == true)

        try connection.command("SET", prefix + "string", "x", "EX", "60")
        let wrongType = #expect(throws: RedisError.self) { try connection.command("LPUSH", prefix + "string", "y") }
        #expect(wrongType?.serverErrorPrefix == "WRONGTYPE")
        #expect(!connection.isBroken)

        let replies = try connection.pipeline([
            [Array("SET".utf8), key("p"), Array("1".utf8), Array("EX".utf8), Array("60".utf8)],
            [Array("LPUSH".utf8), key("p"), Array("2".utf8)],
            [Array("GET".utf8), key("p")],
        ])
        #expect(replies.count == 3)
        #expect(replies[0] == .status("OK"))
        #expect(replies[1].errorMessage?.hasPrefix("WRONGTYPE") == true)
        #expect(replies[2] == .string(Array("1".utf8)))
    }

    @Test func repliesOfEveryShapeAreDecoded() throws {
        let connection = try connect()
        let reply = try connection.command(
            "EVAL",
            "return {7, {'a', {}}, redis.status_reply('FINE'), false, 'tail'}",
            "0"
        )
        #expect(
            reply
                == .array([
                    .integer(7), .array([.string(Array("a".utf8)), .array([])]), .status("FINE"), .null,
                    .string(Array("tail".utf8)),
                ])
        )
        #expect(reply.array?[2].stringValue == "FINE")
        #expect(reply.array?[0].int == 7)
        #expect(RedisReply.string(Array("42".utf8)).int == 42)
        #expect(RedisReply.string([0xFF, 0xFE]).stringValue == nil)
        #expect(RedisReply.string([0xFF, 0xFE]).bytes == [0xFF, 0xFE])
        #expect(RedisReply.null.isNull)
    }

    @Test func urlDatabaseAndClientNameAreApplied() throws {
        let connection = try RedisConnection(
            url: Self.url,
            clientName: "imageapp-\(prefix.dropLast())".replacingOccurrences(of: ":", with: "-")
        )
        let info = try #require(try connection.command("CLIENT", "INFO").stringValue)
        #expect(info.contains("db=\(Self.url.database)"))
        #expect(info.contains("name=imageapp-test-"))
    }

    @Test func connectionRefusedIsAClearError() throws {
        let error = #expect(throws: RedisError.self) {
            try RedisConnection(url: "redis://127.0.0.1:1", timeout: .seconds(2))
        }
        #expect(error?.code == .connection)
        #expect(error?.message.contains("127.0.0.1:1") == true)
        #expect(error?.message.lowercased().contains("refused") == true)

        let pool = RedisPool(url: try RedisURL("redis://127.0.0.1:1"), maxConnections: 2, timeout: .seconds(2))
        let pooled = #expect(throws: RedisError.self) { try pool.withConnection { try $0.command("PING") } }
        #expect(pooled?.code == .connection)
        #expect(pool.inUse == 0)
    }

    @Test func wrongPasswordIsAClearError() throws {
        var url = Self.url
        url.password = "not-the-password"
        let error = #expect(throws: RedisError.self) { try RedisConnection(url: url) }
        #expect(error?.code == .connection)
        #expect(error?.message.hasPrefix("AUTH failed") == true)
        #expect(error?.message.contains("not-the-password") == false)
    }

    @Test func readTimeoutBreaksTheConnection() throws {
        let connection = try RedisConnection(url: Self.url, timeout: .milliseconds(200))
        let error = #expect(throws: RedisError.self) { try connection.command("BLPOP", prefix + "never", "1") }
        #expect(error?.code == .timeout)
        #expect(connection.isBroken)
        let again = #expect(throws: RedisError.self) { try connection.command("PING") }
        #expect(again?.code == .connection)
    }

    // MARK: URLs

    @Test(arguments: [
        ("localhost:6379", "expected redis://"),
        ("http://localhost", "unsupported scheme 'http'"),
        ("rediss://localhost", "TLS"),
        ("redis://", "missing host"),
        ("redis://:6379", "missing host"),
        ("redis://localhost:0", "port '0'"),
        ("redis://localhost:99999", "port '99999'"),
        ("redis://localhost:abc", "port 'abc'"),
        ("redis://localhost:", "port ''"),
        ("redis://localhost/abc", "database 'abc'"),
        ("redis://localhost/-1", "database '-1'"),
        ("redis://localhost/1/2", "database '1/2'"),
        ("redis://user@localhost", "userinfo needs a ':'"),
        ("redis://localhost?timeout=1", "query"),
        ("redis://[::1:6379", "unterminated '['"),
        ("redis://::1", "IPv6 addresses go in brackets"),
        ("redis://:pa%zzss@localhost", "percent-encoding"),
    ])
    func badURLsAreRefused(url: String, reason: String) {
        let error = #expect(throws: RedisError.self) { try RedisURL(url) }
        #expect(error?.code == .invalidURL)
        #expect(error?.message.contains(reason) == true, "\(error?.message ?? "no error")")
    }

    @Test func goodURLsParseAndPasswordsStayOutOfMessages() throws {
        #expect(try RedisURL("redis://localhost") == RedisURL(host: "localhost"))
        #expect(try RedisURL("REDIS://cache.internal:6380/") == RedisURL(host: "cache.internal", port: 6380))
        #expect(
            try RedisURL("redis://:pa%40ss@10.0.0.1:6380/3")
                == RedisURL(host: "10.0.0.1", port: 6380, password: "pa@ss", database: 3)
        )
        #expect(
            try RedisURL("redis://alice:p@ss@h/2")
                == RedisURL(host: "h", username: "alice", password: "p@ss", database: 2)
        )
        #expect(try RedisURL("redis://:pa/ss?@h") == RedisURL(host: "h", password: "pa/ss?"))
        #expect(try RedisURL("redis://[::1]:7000/1") == RedisURL(host: "::1", port: 7000, database: 1))
        #expect(try RedisURL("redis://alice:secret@h").description == "redis://alice:***@h:6379/0")
        #expect(try RedisURL("redis://[::1]").description == "redis://[::1]:6379/0")
        let error = #expect(throws: RedisError.self) { try RedisURL("redis://:secret@h:99999") }
        #expect(error?.message.contains("secret") == false)
    }

    // MARK: Pool

    @Test func poolServesFiftyThreadsWithAtMostFourConnections() throws {
        let name = "imageapp-pool-\(UUID().uuidString.prefix(8))"
        let pool = RedisPool(url: Self.url, maxConnections: 4, leaseTimeout: .seconds(30), clientName: name)
        let counter = prefix + "hits"
        let peak = Gauge()
        let failures = Gauge()
        let serverSideMax = Gauge()
        Self.onThreads(50) { index in
            do {
                for round in 0..<20 {
                    try pool.withConnection { connection in
                        peak.raise(to: pool.inUse)
                        try connection.command("INCR", counter)
                        if round == index % 20 {
                            // What the server sees: connections carrying this pool's name.
                            let list = try connection.command("CLIENT", "LIST").stringValue ?? ""
                            serverSideMax.raise(
                                to: list.split(separator: "\n").filter { $0.contains(" name=\(name) ") }.count
                            )
                        }
                    }
                }
            } catch {
                failures.add(1)
            }
        }
        #expect(failures.value == 0)
        #expect(try pool.withConnection { try $0.command("GET", counter).int } == 1000)
        #expect(peak.value <= 4)
        #expect(serverSideMax.value >= 1)
        #expect(serverSideMax.value <= 4)
        #expect(pool.created <= 4)
        #expect(pool.inUse == 0)
        #expect(pool.idleCount == pool.created)
        try pool.withConnection { _ = try $0.command("DEL", counter) }
    }

    @Test func exhaustedPoolFailsAfterTheLeaseTimeout() throws {
        let pool = RedisPool(url: Self.url, maxConnections: 1, leaseTimeout: .milliseconds(200))
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let done = DispatchSemaphore(value: 0)
        Thread {
            try? pool.withConnection { _ in
                holding.signal()
                release.wait()
            }
            done.signal()
        }.start()
        holding.wait()
        let started = ContinuousClock.now
        let error = #expect(throws: RedisError.self) { try pool.withConnection { try $0.command("PING") } }
        #expect(error?.code == .poolExhausted)
        #expect(ContinuousClock.now - started >= .milliseconds(150))
        release.signal()
        done.wait()
        #expect(try pool.withConnection { try $0.command("PING") } == .status("PONG"))
        #expect(pool.created == 1)
    }

    @Test func killedConnectionIsReplacedOnTheNextLease() throws {
        let pool = RedisPool(url: Self.url, maxConnections: 1)
        let first = try #require(try pool.withConnection { try $0.command("CLIENT", "ID").int })
        let killer = try connect()
        #expect(try killer.command("CLIENT", "KILL", "ID", String(first)) == .integer(1))
        // The idle connection is dead; the lease notices and opens a new one instead of failing.
        let second = try #require(try pool.withConnection { try $0.command("CLIENT", "ID").int })
        #expect(second != first)
        #expect(pool.created == 2)
    }

    @Test func connectionBrokenDuringALeaseIsDropped() throws {
        let pool = RedisPool(url: Self.url, maxConnections: 1, timeout: .milliseconds(200))
        let error = #expect(throws: RedisError.self) {
            try pool.withConnection { try $0.command("BLPOP", prefix + "never", "1") }
        }
        #expect(error?.code == .timeout)
        #expect(pool.idleCount == 0)
        #expect(try pool.withConnection { try $0.command("PING") } == .status("PONG"))
        #expect(pool.created == 2)
    }

    // MARK: Pub/sub

    @Test func subscriberDeliversChannelAndPatternMessages() throws {
        let inbox = Inbox()
        let subscriber = RedisSubscriber(url: Self.url) { inbox.append($0) }
        defer { subscriber.stop() }
        let channel = prefix + "news"
        subscriber.subscribe([channel])
        subscriber.start()
        subscriber.subscribe(patterns: [prefix + "img.*"])
        #expect(
            Self.waitUntil {
                subscriber.subscribedChannels == [channel] && subscriber.subscribedPatterns == [prefix + "img.*"]
            }
        )

        let publisher = try connect()
        let payload: [UInt8] = [0x00, 0x01, 0xFF, 0x0A]
        #expect(try publisher.command([Array("PUBLISH".utf8), Array(channel.utf8), payload]) == .integer(1))
        #expect(try publisher.command("PUBLISH", prefix + "img.42", "resized") == .integer(1))
        #expect(try publisher.command("PUBLISH", prefix + "other", "ignored") == .integer(0))
        #expect(Self.waitUntil { inbox.messages.count >= 2 })
        #expect(
            inbox.messages == [
                RedisSubscriber.Message(channel: channel, payload: payload),
                RedisSubscriber.Message(
                    channel: prefix + "img.42",
                    pattern: prefix + "img.*",
                    payload: Array("resized".utf8)
                ),
            ]
        )

        subscriber.unsubscribe([channel])
        #expect(Self.waitUntil { subscriber.subscribedChannels.isEmpty })
        #expect(try publisher.command("PUBLISH", channel, "late") == .integer(0))
        subscriber.stop()
        #expect(subscriber.subscribedPatterns.isEmpty)
    }

    @Test func subscriberReconnectsAndResubscribesAfterItsConnectionIsKilled() throws {
        let name = "imageapp-sub-\(UUID().uuidString.prefix(8))"
        let inbox = Inbox()
        let epochs = Mutex<[UInt64]>([])
        var quiet = Logger(label: "redis-tests")
        quiet.logLevel = .error  // The reconnect warning is expected here.
        let subscriber = RedisSubscriber(
            url: Self.url,
            reconnectBackoff: .milliseconds(20)...(.milliseconds(200)),
            clientName: name,
            logger: quiet,
            epochChanged: { epoch in epochs.withLock { $0.append(epoch) } }
        ) {
            inbox.append($0)
        }
        defer { subscriber.stop() }
        let channel = prefix + "events"
        #expect(subscriber.epoch == 0)
        subscriber.subscribe([channel])
        subscriber.start()
        #expect(Self.waitUntil { subscriber.subscribedChannels == [channel] })
        // The epoch starts once the channel is confirmed: from then on no message is missed.
        #expect(Self.waitUntil { subscriber.epoch != 0 })
        let first = subscriber.epoch

        let admin = try connect()
        let list = try #require(try admin.command("CLIENT", "LIST").stringValue)
        let line = try #require(list.split(separator: "\n").first { $0.contains(" name=\(name) ") })
        let id = try #require(line.split(separator: " ").first { $0.hasPrefix("id=") }?.dropFirst(3))
        #expect(try admin.command("CLIENT", "KILL", "ID", String(id)) == .integer(1))

        // Nobody listens until the subscriber is back; then one message gets through.
        var delivered = false
        let deadline = ContinuousClock.now + .seconds(10)
        while !delivered && ContinuousClock.now < deadline {
            delivered = try admin.command("PUBLISH", channel, "after-kill") == .integer(1)
            if !delivered { Thread.sleep(forTimeInterval: 0.02) }
        }
        #expect(delivered)
        #expect(Self.waitUntil { inbox.messages.contains { $0.payload == Array("after-kill".utf8) } })
        #expect(subscriber.connects >= 2)
        // Messages published in the gap were lost; the epoch says so: it went to 0 and came back as another number.
        #expect(subscriber.epoch != 0 && subscriber.epoch != first)
        let seen = epochs.withLock { $0 }
        #expect(seen.first == first)
        #expect(seen.dropFirst().first == 0)
        #expect(seen.last == subscriber.epoch)
    }

    @Test func aSubscriptionThatFallsSilentIsNoticedAndReplaced() throws {
        let server = try SilentRedis()
        defer { server.close() }
        var quiet = Logger(label: "redis-tests")
        quiet.logLevel = .critical  // The reconnect warnings are expected here.
        let subscriber = RedisSubscriber(
            url: try RedisURL("redis://127.0.0.1:\(server.port)"),
            timeout: .milliseconds(500),
            reconnectBackoff: .milliseconds(20)...(.milliseconds(50)),
            logger: quiet,
            healthCheck: .milliseconds(150)
        ) { _ in }
        defer { subscriber.stop() }
        subscriber.subscribe(["quiet"])
        subscriber.start()
        #expect(Self.waitUntil { subscriber.epoch == 1 })
        // The server confirms the subscription, then answers nothing (a peer gone without a reset): the PING goes
        // unanswered, and the subscriber drops the connection and opens another.
        #expect(Self.waitUntil { server.connections >= 2 })
        #expect(server.pings >= 1)
        #expect(Self.waitUntil { subscriber.epoch == 2 })
    }

    @Test func stoppingBeforeStartAndTwiceIsHarmless() {
        let subscriber = RedisSubscriber(url: Self.url) { _ in }
        subscriber.stop()
        subscriber.stop()
    }

    // MARK: Cache

    @Test func cacheStoresReadsDeletesAndExpiresValues() throws {
        let pool = RedisPool(url: Self.url, maxConnections: 2)
        let cache = RedisCache(pool: pool, prefix: prefix)
        let value = (0...255).map { UInt8($0) }
        try cache.set("a", value: value, ttl: .seconds(30))
        #expect(try cache.get("a") == value)
        let ttl = try pool.withConnection { try $0.command("PTTL", cache.valueKey("a")).int ?? -1 }
        #expect(ttl > 25_000 && ttl <= 30_000)

        try cache.set("short", value: [1], ttl: .milliseconds(100))
        #expect(try cache.get("short") == [1])
        #expect(Self.waitUntil(timeout: .seconds(3)) { (try? cache.get("short")) == .some(nil) })

        #expect(try cache.delete("a"))
        #expect(try cache.get("a") == nil)
        #expect(try !cache.delete("a"))
        #expect(try cache.get("never-set") == nil)
    }

    @Test func invalidatingATagRemovesExactlyItsKeys() throws {
        let pool = RedisPool(url: Self.url, maxConnections: 2)
        let cache = RedisCache(pool: pool, prefix: prefix)
        try cache.set("a", value: Array("a".utf8), ttl: .seconds(60), tags: ["user:1"])
        try cache.set("b", value: Array("b".utf8), ttl: .seconds(60), tags: ["user:1", "album:9"])
        try cache.set("c", value: Array("c".utf8), ttl: .seconds(60), tags: ["album:9"])
        try cache.set("d", value: Array("d".utf8), ttl: .seconds(60))
        // A key named like a tag set must not collide with one.
        try cache.set("tag:user:1", value: Array("x".utf8), ttl: .seconds(60))

        #expect(try cache.invalidate(tag: "user:1") == 2)
        #expect(try cache.get("a") == nil)
        #expect(try cache.get("b") == nil)
        #expect(try cache.get("c") == Array("c".utf8))
        #expect(try cache.get("d") == Array("d".utf8))
        #expect(try cache.get("tag:user:1") == Array("x".utf8))
        #expect(try pool.withConnection { try $0.command("EXISTS", cache.tagKey("user:1")) } == .integer(0))

        // b is gone already, so only c remains to remove.
        #expect(try cache.invalidate(tag: "album:9") == 1)
        #expect(try cache.get("c") == nil)
        #expect(try cache.get("d") == Array("d".utf8))
        #expect(try cache.invalidate(tag: "album:9") == 0)
        #expect(try cache.invalidate(tag: "never-used") == 0)
        try cache.delete("d")
        try cache.delete("tag:user:1")
    }

    @Test func aTagSetOutlivesItsLongestLivedValue() throws {
        let pool = RedisPool(url: Self.url, maxConnections: 1)
        let cache = RedisCache(pool: pool, prefix: prefix)
        try cache.set("long", value: [1], ttl: .seconds(60), tags: ["t"])
        try cache.set("short", value: [2], ttl: .seconds(1), tags: ["t"])
        let ttl = try pool.withConnection { try $0.command("PTTL", cache.tagKey("t")).int ?? -1 }
        #expect(ttl > 55_000)
        try cache.set("longer", value: [3], ttl: .seconds(120), tags: ["t"])
        let extended = try pool.withConnection { try $0.command("PTTL", cache.tagKey("t")).int ?? -1 }
        #expect(extended > 115_000)
        #expect(try cache.invalidate(tag: "t") == 3)
    }

    // MARK: Helpers

    /// Runs `body` on `count` threads at once and waits for all of them.
    private static func onThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        let group = DispatchGroup()
        for index in 0..<count {
            group.enter()
            Thread {
                body(index)
                group.leave()
            }.start()
        }
        group.wait()
    }

    /// Polls `condition` every 10 ms until it holds or `timeout` passes.
    private static func waitUntil(timeout: Duration = .seconds(5), _ condition: () -> Bool) -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if condition() { return true }
            Thread.sleep(forTimeInterval: 0.01)
        }
        return condition()
    }
}

/// Messages a subscriber delivered, readable from the test's thread.
private final class Inbox: Sendable {
    private let received = Mutex<[RedisSubscriber.Message]>([])

    func append(_ message: RedisSubscriber.Message) { received.withLock { $0.append(message) } }

    var messages: [RedisSubscriber.Message] { received.withLock { $0 } }
}

/// A counter shared by test threads.
private final class Gauge: Sendable {
    private let atomic = Atomic<Int>(0)

    var value: Int { atomic.load(ordering: .relaxed) }

    func add(_ amount: Int) { atomic.add(amount, ordering: .relaxed) }

    /// Raises the value to `candidate` if it is larger.
    func raise(to candidate: Int) {
        var current = value
        while candidate > current {
            let (exchanged, original) = atomic.compareExchange(
                expected: current,
                desired: candidate,
                ordering: .relaxed
            )
            if exchanged { return }
            current = original
        }
    }
}

/// A TCP server that speaks just enough Redis to confirm a `SUBSCRIBE`, then never answers again: what a subscriber
/// sees when the server or the network vanished without closing the connection (no real Redis can be made to do
/// that safely beside other tests).
private final class SilentRedis: Sendable {
    let port: Int
    private let listener: Int32
    private let counts = Mutex<(connections: Int, pings: Int)>((0, 0))

    var connections: Int { counts.withLock { $0.connections } }
    var pings: Int { counts.withLock { $0.pings } }

    init() throws {
        let listener = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.listener = listener
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listener, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(listener, 8) == 0 else { throw RedisError(.connection, "cannot listen") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        }
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread { [self] in
            while true {
                let client = accept(listener, nil, nil)
                guard client >= 0 else { return }
                counts.withLock { $0.connections += 1 }
                Thread { self.serve(client) }.start()
            }
        }.start()
    }

    /// Confirms each `SUBSCRIBE`, counts `PING`s, answers nothing else; holds the connection open until closed.
    private func serve(_ client: Int32) {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(client, &buffer, buffer.count)
            guard count > 0 else { break }
            let text = String(decoding: buffer[..<count], as: UTF8.self)
            if text.contains("SUBSCRIBE") {
                let reply = "*3\r\n$9\r\nsubscribe\r\n$5\r\nquiet\r\n:1\r\n"
                _ = reply.withCString { write(client, $0, strlen($0)) }
            }
            if text.contains("PING") { counts.withLock { $0.pings += 1 } }
        }
        Glibc.close(client)
    }

    func close() {
        shutdown(listener, Int32(SHUT_RDWR))
        Glibc.close(listener)
    }
}
