/// A byte cache in Redis with expiry and tag-based invalidation, built on a ``RedisPool``.
///
/// Keys live under a namespace prefix (default `cache:`): a value under `<prefix>key:<key>`, and
/// each tag's member list as a set under `<prefix>tag:<name>`. The two sub-namespaces keep a
/// key that happens to start with `tag:` from colliding with a tag's set.
///
/// Writes and invalidations are Lua scripts, so each is atomic: no reader sees a value whose tags
/// are not recorded yet, and no value tagged during an invalidation survives it half-deleted.
/// A tag's set lives at least as long as the longest-lived value added to it; entries of values
/// that expired or were overwritten without the tag stay until then, which at worst makes an
/// invalidation delete a key it no longer had to (harmless for a cache).
///
/// The scripts touch value keys named inside the tag set, so this needs a single Redis server
/// (or a primary with replicas), not Redis Cluster.
public struct RedisCache: Sendable {
    /// The connections.
    public let pool: RedisPool
    /// Prepended to every key the cache writes.
    public let prefix: String
    /// Copies in this process's memory; deletions and invalidations are published on its channel.
    public let near: NearCache?

    /// Creates a cache over `pool`.
    ///
    /// - Parameters:
    ///   - pool: The connections to use.
    ///   - prefix: The key namespace; different prefixes give independent caches on one server.
    ///   - near: An in-process layer in front (see ``NearCache``); `nil` for none.
    public init(pool: RedisPool, prefix: String = "cache:", near: NearCache? = nil) {
        self.pool = pool
        self.prefix = prefix
        self.near = near
    }

    /// The copy of `key` in this process, without any I/O.
    public func peek(_ key: String) -> [UInt8]? {
        near?.peek(key)
    }

    /// Stores `value` under `key` for `ttl`, and records the key under each of `tags`.
    ///
    /// - Parameters:
    ///   - key: The cache key.
    ///   - value: The bytes to store.
    ///   - ttl: How long the value lives; rounded up to whole milliseconds, and must be positive.
    ///   - tags: Tags that ``invalidate(tag:)`` can later remove the value by.
    /// - Throws: ``RedisError`` when Redis is unreachable or refuses the write.
    public func set(_ key: String, value: [UInt8], ttl: Duration, tags: [String] = []) throws(RedisError) {
        precondition(ttl > .zero, "a cache TTL must be positive")
        let (seconds, attoseconds) = ttl.components
        let milliseconds = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
        let keys = [valueKey(key)] + Set(tags).map(tagKey)
        let announce = near.map { [Array($0.channel.utf8), Array("s\($0.origin)\n\(key)".utf8)] } ?? []
        let started = NearCache.now()
        _ = try evaluate(Self.setScript, keys: keys, arguments: [value, Array(String(milliseconds).utf8)] + announce)
        near?.store(key, value, remaining: .milliseconds(milliseconds), tags: tags, readAt: started)
    }

    /// The value stored under `key`, or `nil` if there is none (never set, expired, deleted or invalidated).
    ///
    /// - Throws: ``RedisError`` when Redis is unreachable.
    public func get(_ key: String) throws(RedisError) -> [UInt8]? {
        guard let near, near.isEnabled else {
            let reply = try pool.withRedisConnection { connection throws(RedisError) in
                try connection.command([Array("GET".utf8), Array(valueKey(key).utf8)])
            }
            return reply.isNull ? nil : reply.bytes
        }
        // With a near cache, the value's remaining lifetime too, so the copy never outlives it.
        let started = NearCache.now()
        let replies = try pool.withRedisConnection { connection throws(RedisError) in
            try connection.pipeline([
                [Array("GET".utf8), Array(valueKey(key).utf8)], [Array("PTTL".utf8), Array(valueKey(key).utf8)],
            ])
        }
        guard replies.count == 2, !replies[0].isNull, let value = replies[0].bytes else { return nil }
        if let remaining = replies[1].int, remaining > 0 {
            near.store(key, value, remaining: .milliseconds(remaining), readAt: started)
        }
        return value
    }

    /// Removes the value stored under `key`.
    ///
    /// - Returns: Whether there was a value.
    /// - Throws: ``RedisError`` when Redis is unreachable.
    @discardableResult
    public func delete(_ key: String) throws(RedisError) -> Bool {
        near?.drop(key: key)
        guard let near else {
            let reply = try pool.withRedisConnection { connection throws(RedisError) in
                try connection.command([Array("DEL".utf8), Array(valueKey(key).utf8)])
            }
            return reply.int == 1
        }
        let reply = try evaluate(
            Self.deleteScript,
            keys: [valueKey(key)],
            arguments: [Array(near.channel.utf8), Array("k\(key)".utf8)]
        )
        return reply.int == 1
    }

    /// Removes every value recorded under `tag`, and the tag itself, in one atomic step.
    ///
    /// - Returns: How many values were removed.
    /// - Throws: ``RedisError`` when Redis is unreachable.
    @discardableResult
    public func invalidate(tag: String) throws(RedisError) -> Int {
        near?.drop(tag: tag)
        let prefixLength = valueKey("").utf8.count
        let announce = near.map { [Array($0.channel.utf8), Array(String(prefixLength).utf8)] } ?? []
        let reply = try evaluate(Self.invalidateScript, keys: [tagKey(tag)], arguments: announce)
        guard case .array(let parts) = reply, parts.count == 2 else { return 0 }
        // This process's own copies go now, not when its own announcement comes back: read-your-writes.
        if let near, case .array(let members) = parts[1] {
            near.drop(keys: members.compactMap { $0.bytes.map { String(decoding: $0.dropFirst(prefixLength), as: UTF8.self) } })
        }
        return Int(parts[0].int ?? 0)
    }

    /// The Redis key holding the value of `key`.
    func valueKey(_ key: String) -> String { "\(prefix)key:\(key)" }

    /// The Redis key of the set listing the value keys tagged `tag`.
    func tagKey(_ tag: String) -> String { "\(prefix)tag:\(tag)" }

    /// Runs a script with `EVAL`. Redis keeps the compiled script keyed by its SHA1, so resending
    /// the few hundred bytes of source costs little and spares `EVALSHA`'s `NOSCRIPT` fallback.
    private func evaluate(_ script: String, keys: [String], arguments: [[UInt8]]) throws(RedisError) -> RedisReply {
        let command =
            [Array("EVAL".utf8), Array(script.utf8), Array(String(keys.count).utf8)]
            + keys.map { Array($0.utf8) } + arguments
        return try pool.withRedisConnection { connection throws(RedisError) in try connection.command(command) }
    }

    /// KEYS[1] the value key, KEYS[2…] tag sets; ARGV[1] the value, ARGV[2] the TTL in milliseconds, ARGV[3],
    /// ARGV[4] (optional) the near caches' channel and message. A tag set's expiry only ever grows, so it outlives
    /// every value listed in it.
    private static let setScript = """
        local ttl = tonumber(ARGV[2])
        redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
        for i = 2, #KEYS do
            redis.call('SADD', KEYS[i], KEYS[1])
            if redis.call('PTTL', KEYS[i]) < ttl then
                redis.call('PEXPIRE', KEYS[i], ttl)
            end
        end
        if ARGV[3] then redis.call('PUBLISH', ARGV[3], ARGV[4]) end
        return 1
        """

    /// KEYS[1] the tag set; ARGV[1], ARGV[2] (optional) the near caches' channel and the length of the value keys'
    /// prefix: each removed key is announced (`k<key>`), because another instance may hold a copy it read with
    /// `GET`, without knowing its tags. Returns `{removed, members}`. Deletes in chunks: `unpack` is limited by Lua's
    /// C stack (about 8000).
    private static let invalidateScript = """
        local members = redis.call('SMEMBERS', KEYS[1])
        local removed = 0
        for i = 1, #members, 1000 do
            removed = removed + redis.call('DEL', unpack(members, i, math.min(i + 999, #members)))
        end
        redis.call('DEL', KEYS[1])
        if ARGV[1] then
            local skip = tonumber(ARGV[2])
            for i = 1, #members do redis.call('PUBLISH', ARGV[1], 'k' .. string.sub(members[i], skip + 1)) end
        end
        return {removed, members}
        """

    /// KEYS[1] the value key; ARGV[1], ARGV[2] the near caches' channel and message: deleted and announced at once.
    private static let deleteScript = """
        local removed = redis.call('DEL', KEYS[1])
        redis.call('PUBLISH', ARGV[1], ARGV[2])
        return removed
        """
}
