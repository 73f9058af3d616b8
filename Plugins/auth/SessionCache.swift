import Dispatch
import ImageAppPlugin
import Synchronization

/// Resolved sessions, cached so that authenticating a request rarely reaches PostgreSQL.
///
/// Two levels: Redis (`<prefix>:session:<token hash>`, `session_cache_seconds`), shared by every instance, and a
/// small map in this process (`local_session_cache_ms`) that saves the Redis round trip on busy sessions. Ending a
/// session deletes the Redis entry and publishes the hash on `<prefix>:revoked`, which every instance subscribes to
/// and drops from its map at once; the short local lifetime bounds the damage of a message lost while an instance
/// was disconnected from Redis.
final class SessionCache: Sendable {
    private let host: PluginHost
    private let prefix: String
    private let redisTTLMilliseconds: Int64
    private let localTTLNanoseconds: UInt64
    private let local = Mutex<[String: (session: ResolvedSession, expires: UInt64)]>([:])
    /// Beyond this many entries the map starts again empty: cheaper than LRU bookkeeping, and refilled at once.
    private static let localCapacity = 100_000

    init(host: PluginHost, settings: AuthSettings) {
        self.host = host
        self.prefix = settings.redisPrefix
        self.redisTTLMilliseconds = settings.sessionCacheSeconds * 1_000
        self.localTTLNanoseconds = UInt64(settings.localSessionCacheMilliseconds) * 1_000_000
    }

    var revocationChannel: String { "\(prefix):revoked" }

    /// The session cached in this process, without any I/O (safe on an event loop).
    func localLookup(_ hashText: String) -> ResolvedSession? {
        guard localTTLNanoseconds > 0 else { return nil }
        let now = DispatchTime.now().uptimeNanoseconds
        return local.withLock { map in
            guard let entry = map[hashText] else { return nil }
            guard entry.expires > now else {
                map[hashText] = nil
                return nil
            }
            return entry.session
        }
    }

    /// The session cached in Redis (and then kept locally too). Blocks.
    func sharedLookup(_ hashText: String) -> ResolvedSession? {
        guard let reply = try? host.redis("GET", key(hashText)), let text = reply.text,
              let session = ResolvedSession(cacheText: text)
        else { return nil }
        remember(hashText, session)
        return session
    }

    /// Caches a session resolved from PostgreSQL. Blocks.
    ///
    /// A resolver that read the session just before it was ended could store it just after the eviction. Eviction
    /// therefore leaves a short tombstone before deleting, and storing writes before checking for one: whichever
    /// order the two interleave in, the entry does not survive.
    func store(_ hashText: String, _ session: ResolvedSession) {
        let key = key(hashText)
        let replies = try? host.redisPipeline([
            ["SET", key, session.cacheText, "PX", String(redisTTLMilliseconds)].map { Array($0.utf8) },
            ["EXISTS", tombstone(hashText)].map { Array($0.utf8) },
        ])
        if let replies, replies.count == 2, replies[1] == .integer(1) {
            _ = try? host.redis("DEL", key)
            return
        }
        remember(hashText, session)
    }

    /// Forgets sessions everywhere: Redis, this process, and (through pub/sub) every other instance. Blocks.
    func evict(_ hashTexts: [String]) {
        guard !hashTexts.isEmpty else { return }
        dropLocally(hashTexts)
        var commands = hashTexts.map { ["SET", tombstone($0), "1", "PX", "30000"].map { Array($0.utf8) } }
        commands.append((["DEL"] + hashTexts.map(key)).map { Array($0.utf8) })
        commands += hashTexts.map { ["PUBLISH", revocationChannel, $0].map { Array($0.utf8) } }
        do {
            _ = try host.redisPipeline(commands)
        } catch {
            host.log(.error, "could not evict \(hashTexts.count) ended session(s) from Redis: \(error)")
        }
    }

    /// A revocation published by any instance.
    func dropLocally(_ hashTexts: [String]) {
        local.withLock { map in
            for hash in hashTexts { map[hash] = nil }
        }
    }

    private func remember(_ hashText: String, _ session: ResolvedSession) {
        guard localTTLNanoseconds > 0 else { return }
        let expires = DispatchTime.now().uptimeNanoseconds + localTTLNanoseconds
        local.withLock { map in
            if map.count >= Self.localCapacity { map.removeAll(keepingCapacity: true) }
            map[hashText] = (session, expires)
        }
    }

    private func key(_ hashText: String) -> String { "\(prefix):session:\(hashText)" }
    private func tombstone(_ hashText: String) -> String { "\(prefix):ended:\(hashText)" }
}
