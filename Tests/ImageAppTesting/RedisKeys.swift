import CHiredis
import Foundation

/// Removes the Redis keys a test host left behind (its namespace, streams, rate-limit counters, caches), through
/// hiredis directly for the same reason as ``SQLConnection``: the host's client is internal to it.
public enum RedisKeys {
    /// Deletes every key that starts with `prefix` in the test Redis database; errors are ignored (cleanup must not
    /// fail a test that passed).
    public static func deleteAll(prefix: String, url: String = TestRedis.url) {
        guard !prefix.isEmpty else { return }
        withConnection(url) { context in
            scan(context, prefix: prefix) { keys in _ = command(context, ["DEL"] + keys) }
        }
    }

    /// The keys that start with `prefix` in the test Redis database (empty when it cannot be reached).
    public static func keys(prefix: String, url: String = TestRedis.url) -> [String] {
        var found: [String] = []
        withConnection(url) { context in scan(context, prefix: prefix) { found += $0 } }
        return found
    }

    /// Runs one command on the test Redis database, for tests that change the server itself (`SCRIPT FLUSH`); the
    /// reply flattened to strings, or nil when Redis cannot be reached.
    @discardableResult
    public static func run(_ arguments: [String], url: String = TestRedis.url) -> [String?]? {
        var reply: [String?]?
        withConnection(url) { reply = command($0, arguments) }
        return reply
    }

    /// Closes the pub/sub connections of the hosts on `namespace` (named `image-app-subscriber:<namespace>`), as a
    /// network failure would; how many there were. Their subscribers reconnect on their own.
    @discardableResult
    public static func killSubscribers(namespace: String, url: String = TestRedis.url) -> Int {
        guard let list = run(["CLIENT", "LIST"], url: url)?.first ?? nil else { return 0 }
        let ids = list.split(separator: "\n")
            .filter { $0.contains(" name=image-app-subscriber:\(namespace) ") }
            .compactMap { $0.split(separator: " ").first { $0.hasPrefix("id=") }?.dropFirst(3) }
        for id in ids { run(["CLIENT", "KILL", "ID", String(id)], url: url) }
        return ids.count
    }

    private static func withConnection(_ url: String, _ body: (UnsafeMutablePointer<redisContext>) -> Void) {
        guard let components = URLComponents(string: url), let host = components.host else { return }
        let timeout = timeval(tv_sec: 5, tv_usec: 0)
        guard let context = redisConnectWithTimeout(host, Int32(components.port ?? 6379), timeout) else { return }
        defer { redisFree(context) }
        guard context.pointee.err == 0, redisSetTimeout(context, timeout) == REDIS_OK else { return }
        if let password = components.password { _ = command(context, ["AUTH", password]) }
        _ = command(context, ["SELECT", String(Int(components.path.dropFirst()) ?? 0)])
        body(context)
    }

    /// Calls `batch` with each batch of keys under `prefix` that SCAN returns.
    private static func scan(_ context: UnsafeMutablePointer<redisContext>, prefix: String, _ batch: ([String]) -> Void) {
        var cursor = "0"
        repeat {
            guard let reply = command(context, ["SCAN", cursor, "MATCH", escaped(prefix) + "*", "COUNT", "1000"]),
                reply.count >= 1, let next = reply[0]
            else { return }
            cursor = next
            let keys = reply.dropFirst().compactMap { $0 }
            if !keys.isEmpty { batch(keys) }
        } while cursor != "0"
    }

    /// `prefix` with Redis glob characters escaped.
    private static func escaped(_ prefix: String) -> String {
        var text = ""
        for character in prefix {
            if "*?[]\\".contains(character) { text.append("\\") }
            text.append(character)
        }
        return text
    }

    /// Runs one command; the reply flattened to strings: SCAN's `[cursor, [keys...]]` becomes `[cursor, keys...]`.
    private static func command(_ context: UnsafeMutablePointer<redisContext>, _ arguments: [String]) -> [String?]? {
        let cStrings = arguments.map { strdup($0) }
        defer { cStrings.forEach { free($0) } }
        var pointers = cStrings.map { UnsafePointer($0) }
        let lengths = arguments.map { $0.utf8.count }
        guard let raw = redisCommandArgv(context, Int32(arguments.count), &pointers, lengths) else { return nil }
        defer { freeReplyObject(raw) }
        return flatten(raw.assumingMemoryBound(to: redisReply.self))
    }

    private static func flatten(_ reply: UnsafeMutablePointer<redisReply>) -> [String?] {
        switch Int32(reply.pointee.type) {
        case REDIS_REPLY_STRING, REDIS_REPLY_STATUS:
            return [String(decoding: UnsafeRawBufferPointer(start: reply.pointee.str, count: reply.pointee.len), as: UTF8.self)]
        case REDIS_REPLY_INTEGER:
            return [String(reply.pointee.integer)]
        case REDIS_REPLY_ARRAY:
            return (0..<reply.pointee.elements).flatMap { index in reply.pointee.element[index].map(flatten) ?? [nil] }
        default:
            return [nil]
        }
    }
}
