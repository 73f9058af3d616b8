import CImageAppPlugin
import Dispatch
import Synchronization

/// Copies of cache values in this process's memory, in front of ``RedisCache``, so that a hit costs no Redis round
/// trip and can be answered on an event loop (`cache_peek`).
///
/// A copy lives at most `ttl` (`host.cache_local_ttl_ms`) and never past the value's own expiry. Deletions and tag
/// invalidations are published by ``RedisCache`` on ``channel`` inside the same Lua script that performs them, and
/// every instance drops its copies when the message arrives. Messages published while an instance's subscriber is
/// disconnected are lost, so copies are kept only while it is connected and subscribed, and all go whenever that
/// changes (``epochChanged(_:)``); `ttl` bounds what is left: a connection that died unnoticed until the
/// subscriber's health check. Bounded by entry count: when full, it starts again empty, which is cheaper than LRU
/// bookkeeping and refills at once.
public final class NearCache: Sendable {
    private struct Entry {
        var value: [UInt8]
        var expires: UInt64
        var tags: [String]
    }

    private struct State {
        var entries: [String: Entry] = [:]
        var keysByTag: [String: Set<String>] = [:]
        /// When keys were last dropped (kept a moment): a read from Redis that started before the drop must not
        /// store its (old) value after it.
        var dropped: [String: UInt64] = [:]
        /// Whether invalidations arrive (the subscriber's epoch is not 0).
        var live = false
        /// When the copies last all went: a read from Redis that started before must not store after.
        var clearedAt: UInt64 = 0
    }

    /// How long a drop is remembered; far longer than one Redis round trip.
    private static let droppedNanoseconds: UInt64 = 2_000_000_000

    /// The clock that ``store(_:_:remaining:tags:readAt:)`` wants: take it before reading or writing Redis.
    public static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// The pub/sub channel carrying invalidations: `k<key>` for a deleted key (also each key of an invalidated tag),
    /// `t<tag>` for a whole tag, and
    /// `s<origin>\n<key>` for a key set anew by the process whose ``origin`` that is (which keeps its own copy).
    public let channel: String
    /// This process's name in `s` messages.
    public let origin: String = String(UInt64.random(in: 0...UInt64.max), radix: 36)
    private let ttlNanoseconds: UInt64
    private let capacity: Int
    private let state = Mutex(State())

    public init(channel: String, ttl: Duration, capacity: Int = 10_000) {
        self.channel = channel
        let (seconds, attoseconds) = ttl.components
        self.ttlNanoseconds = UInt64(max(seconds, 0)) * 1_000_000_000 + UInt64(max(attoseconds, 0) / 1_000_000_000)
        self.capacity = capacity
    }

    /// Whether copies are kept at all (`host.cache_local_ttl_ms` above zero).
    public var isEnabled: Bool { ttlNanoseconds > 0 }

    /// A fresh copy of `key`'s value, or `nil`.
    public func peek(_ key: String) -> [UInt8]? {
        guard isEnabled else { return nil }
        let now = DispatchTime.now().uptimeNanoseconds
        return state.withLock { state in
            guard let entry = state.entries[key] else { return nil }
            guard entry.expires > now else {
                Self.remove(key, from: &state)
                return nil
            }
            return entry.value
        }
    }

    /// Keeps a copy of a value that lives `remaining` more in Redis (`nil`: unknown, the local TTL applies), read or
    /// written at `readAt` (``now()`` before the Redis call): a drop of the key since then means the value may be old.
    public func store(_ key: String, _ value: [UInt8], remaining: Duration?, tags: [String] = [], readAt: UInt64) {
        guard isEnabled else { return }
        // 80-100 % of the TTL: copies made in one burst (every reader after a start) do not all expire in one burst.
        var lifetime = UInt64(Double(ttlNanoseconds) * Double.random(in: 0.8...1.0))
        if let remaining {
            let (seconds, attoseconds) = remaining.components
            guard seconds >= 0, attoseconds >= 0, seconds > 0 || attoseconds > 0 else { return }
            lifetime = min(lifetime, UInt64(seconds) * 1_000_000_000 + UInt64(attoseconds / 1_000_000_000))
        }
        let now = DispatchTime.now().uptimeNanoseconds
        let expires = now + lifetime
        state.withLock { state in
            guard state.live, readAt >= state.clearedAt else { return }
            if let droppedAt = state.dropped[key] {
                guard droppedAt < readAt else { return }
                if droppedAt + Self.droppedNanoseconds < now { state.dropped[key] = nil }
            }
            if state.entries.count >= capacity { state = State(live: true, clearedAt: state.clearedAt) }
            Self.remove(key, from: &state)
            state.entries[key] = Entry(value: value, expires: expires, tags: tags)
            for tag in tags { state.keysByTag[tag, default: []].insert(key) }
        }
    }

    /// Drops the copy of `key`.
    public func drop(key: String) {
        drop(keys: [key])
    }

    /// Drops the copies of `keys`, and refuses copies of them read before now.
    public func drop(keys: [String]) {
        let now = Self.now()
        state.withLock { state in
            if state.dropped.count >= capacity {
                state.dropped = state.dropped.filter { $0.value + Self.droppedNanoseconds >= now }
            }
            for key in keys {
                Self.remove(key, from: &state)
                state.dropped[key] = now
            }
        }
    }

    /// Drops every copy tagged `tag` (copies read with `GET` carry no tags: ``RedisCache`` also drops the tag's keys
    /// by name).
    public func drop(tag: String) {
        let keys = state.withLock { Array($0.keysByTag[tag] ?? []) }
        drop(keys: keys)
    }

    /// Follows the subscriber's epoch (``RedisSubscriber/epoch``): any change may hide lost invalidations, so every
    /// copy goes, and none are kept while it is 0.
    public func epochChanged(_ epoch: UInt64) {
        let now = Self.now()
        state.withLock { state in
            state = State(live: epoch != 0, clearedAt: now)
        }
    }

    /// Applies an invalidation message from ``channel``.
    public func apply(message: [UInt8]) {
        guard let kind = message.first else { return }
        let name = String(decoding: message.dropFirst(), as: UTF8.self)
        switch kind {
        case UInt8(ascii: "k"): drop(key: name)
        case UInt8(ascii: "t"): drop(tag: name)
        case UInt8(ascii: "s"):
            guard let newline = name.firstIndex(of: "\n"), name[..<newline] != origin else { return }
            drop(key: String(name[name.index(after: newline)...]))
        default: break
        }
    }

    /// A subscription that feeds ``apply(message:)``; the cache must live as long as the subscription.
    var subscription: RedisSubscriptions.Subscription {
        RedisSubscriptions.Subscription(
            channel: channel,
            isPattern: false,
            handler: { userData, _, payload in
                guard let userData else { return }
                let cache = Unmanaged<NearCache>.fromOpaque(userData).takeUnretainedValue()
                cache.apply(message: payload.len == 0 ? [] : Array(UnsafeRawBufferPointer(start: payload.data, count: payload.len)))
            },
            userData: Unmanaged.passUnretained(self).toOpaque()
        )
    }

    private static func remove(_ key: String, from state: inout State) {
        guard let entry = state.entries.removeValue(forKey: key) else { return }
        for tag in entry.tags {
            state.keysByTag[tag]?.remove(key)
            if state.keysByTag[tag]?.isEmpty == true { state.keysByTag[tag] = nil }
        }
    }
}
