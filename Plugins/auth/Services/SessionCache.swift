import Dispatch
import ImageAppPlugin
import Synchronization

/// Resolved sessions, cached so that authenticating a request rarely reaches PostgreSQL.
///
/// Two levels: Redis (`<prefix>:session:<token hash>`, `session_cache_seconds`), shared by every instance, and a
/// small map in this process (`local_session_cache_ms`) that saves the Redis round trip on busy sessions. Tokens that
/// open nothing are remembered too (`<prefix>:nosession:<hash>`, a minute): a token is random and only ever issued
/// together with its session, so one that is unknown now stays unknown, and a client (or a browser holding a dead
/// cookie) repeating it costs no database write each time.
///
/// Ending a session deletes the Redis entry and publishes the hash on `<prefix>:revoked`, which every instance
/// subscribes to and drops from its map at once. A local entry is used only while the host's subscription epoch
/// (``PluginHost/subscriptionEpoch``) is the one read before the entry was fetched: a revocation published while this
/// process was disconnected from Redis cannot leave a session usable here. The local lifetime bounds the rest (a
/// connection that died unnoticed until the host's health check).
final class SessionCache: Sendable {
    /// What the caches know about a token.
    enum Lookup: Equatable {
        case session(ResolvedSession)
        /// It opens nothing.
        case unknown
        /// Not cached here.
        case miss
    }

    private struct Local {
        /// `nil` marks a token known to open nothing; `epoch` is the subscription epoch read before fetching it.
        var entries: [String: (session: ResolvedSession?, expires: UInt64, epoch: UInt64)] = [:]
        /// Hashes dropped a moment ago: a lookup that read them just before the drop must not cache them after it.
        var dropped: [String: UInt64] = [:]
    }

    private let host: PluginHost
    private let prefix: String
    private let redisTTLMilliseconds: Int64
    private let localTTLNanoseconds: UInt64
    private let local = Mutex(Local())
    /// Beyond this many entries the map starts again empty: cheaper than LRU bookkeeping, and refilled at once.
    private static let localCapacity = 100_000
    private static let unknownTTLMilliseconds: Int64 = 60_000
    private static let droppedNanoseconds: UInt64 = 2_000_000_000

    init(host: PluginHost, settings: AuthSettings) {
        self.host = host
        self.prefix = settings.redisPrefix
        self.redisTTLMilliseconds = settings.sessionCacheSeconds * 1_000
        self.localTTLNanoseconds = UInt64(settings.localSessionCacheMilliseconds) * 1_000_000
    }

    var revocationChannel: String { "\(prefix):revoked" }

    /// What this process's memory knows about a token, without any I/O (safe on an event loop).
    func localLookup(_ hashText: String) -> Lookup {
        guard localTTLNanoseconds > 0 else { return .miss }
        let now = DispatchTime.now().uptimeNanoseconds
        let epoch = host.subscriptionEpoch
        return local.withLock { local in
            guard let entry = local.entries[hashText] else { return .miss }
            guard entry.expires > now, entry.epoch == epoch else {
                local.entries[hashText] = nil
                return .miss
            }
            return entry.session.map(Lookup.session) ?? .unknown
        }
    }

    /// What Redis knows about a token (kept locally too). Blocks.
    func sharedLookup(_ hashText: String) -> Lookup {
        let epoch = host.subscriptionEpoch
        guard
            let replies = try? host.redisPipeline([
                ["GET", key(hashText)].map { Array($0.utf8) },
                ["EXISTS", unknownKey(hashText)].map { Array($0.utf8) },
            ]), replies.count == 2
        else { return .miss }
        if let text = replies[0].text, let session = ResolvedSession(cacheText: text) {
            remember(hashText, session, epoch: epoch)
            return .session(session)
        }
        if replies[1] == .integer(1) {
            remember(hashText, nil, epoch: epoch)
            return .unknown
        }
        return .miss
    }

    /// Caches a session resolved from PostgreSQL; `epoch` is ``PluginHost/subscriptionEpoch`` read before resolving.
    /// Blocks.
    ///
    /// A resolver that read the session just before it was ended could store it just after the eviction. Eviction
    /// therefore leaves a short tombstone before deleting, and storing writes before checking for one: whichever
    /// order the two interleave in, the entry does not survive.
    func store(_ hashText: String, _ session: ResolvedSession, epoch: UInt64) {
        let key = key(hashText)
        let replies = try? host.redisPipeline([
            ["SET", key, session.cacheText, "PX", String(redisTTLMilliseconds)].map { Array($0.utf8) },
            ["EXISTS", tombstone(hashText)].map { Array($0.utf8) },
        ])
        if let replies, replies.count == 2, replies[1] == .integer(1) {
            _ = try? host.redis("DEL", key)
            return
        }
        remember(hashText, session, epoch: epoch)
    }

    /// Remembers that a token opens nothing (PostgreSQL said so; `epoch` as for ``store(_:_:epoch:)``). Blocks.
    func storeUnknown(_ hashText: String, epoch: UInt64) {
        _ = try? host.redis("SET", unknownKey(hashText), "1", "PX", String(Self.unknownTTLMilliseconds))
        remember(hashText, nil, epoch: epoch)
    }

    /// Forgets sessions everywhere: Redis, this process, and (through pub/sub) every other instance. Blocks.
    func evict(_ hashTexts: [String]) {
        guard !hashTexts.isEmpty else { return }
        dropLocally(hashTexts)
        var commands = hashTexts.map { ["SET", tombstone($0), "1", "PX", "5000"].map { Array($0.utf8) } }
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
        let until = DispatchTime.now().uptimeNanoseconds + Self.droppedNanoseconds
        local.withLock { local in
            for hash in hashTexts {
                local.entries[hash] = nil
                local.dropped[hash] = until
            }
        }
    }

    private func remember(_ hashText: String, _ session: ResolvedSession?, epoch: UInt64) {
        guard localTTLNanoseconds > 0, epoch != 0 else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        local.withLock { local in
            if let until = local.dropped[hashText] {
                guard until <= now else { return }
                local.dropped[hashText] = nil
            }
            if local.entries.count >= Self.localCapacity { local.entries.removeAll(keepingCapacity: true) }
            if local.dropped.count >= Self.localCapacity { local.dropped = local.dropped.filter { $0.value > now } }
            // 80-100 % of the lifetime, so that sessions cached in one burst are not all looked up again at once.
            let lifetime = UInt64(Double(localTTLNanoseconds) * Double.random(in: 0.8...1.0))
            local.entries[hashText] = (session, now + lifetime, epoch)
        }
    }

    private func key(_ hashText: String) -> String { "\(prefix):session:\(hashText)" }
    private func unknownKey(_ hashText: String) -> String { "\(prefix):nosession:\(hashText)" }
    private func tombstone(_ hashText: String) -> String { "\(prefix):ended:\(hashText)" }
}
