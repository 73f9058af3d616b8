import ImageAppPlugin

/// The rankings in Redis: what the job writes and the routes read.
///
/// Keys (under the plugin's prefix): `generation` a counter, one number per computation; `posts:<generation>` a
/// sorted set of post ids by score; `current` the generation the first page reads; `tags` a sorted set of hashtags by
/// score with `tags:accounts` a hash of their accounts today.
///
/// A computation builds its sets under `build:` keys and a script renames them into place in one step, so a reader
/// sees the old ranking or the new one, never a mix. A replaced `posts:<generation>` lives `cursor_ttl_seconds`
/// more: a cursor names its generation and an offset in it, so paging on stays on the ranking it started in.
struct TrendingStore: Sendable {
    let host: PluginHost
    let prefix: String
    let cursorTTLMilliseconds: Int

    init(host: PluginHost, settings: TrendingSettings) {
        self.host = host
        prefix = settings.redisPrefix
        cursorTTLMilliseconds = settings.cursorTTLSeconds * 1_000
    }

    private func key(_ name: String) -> String { "\(prefix):\(name)" }
    private func postsKey(_ generation: Int64) -> String { key("posts:\(generation)") }

    // MARK: Writing (the job)

    /// Replaces the trending posts with `items` (best first) as a new generation; returns it.
    @discardableResult
    func publishPosts(_ items: [ScoredPosts.Item]) throws(PluginError) -> Int64 {
        guard case .integer(let generation) = try host.redis("INCR", key("generation")) else {
            throw PluginError(status: .internal, message: "INCR of the generation answered no integer")
        }
        let build = key("build:posts:\(generation)")
        try fill(build, items.map { (member: String($0.postId), score: $0.score) })
        let previous = try currentGeneration() ?? 0
        _ = try host.redis(
            "EVAL",
            Self.publishPostsScript,
            "4",
            build,
            postsKey(generation),
            key("current"),
            postsKey(previous),
            String(generation),
            String(previous),
            String(cursorTTLMilliseconds)
        )
        return generation
    }

    /// Replaces the trending hashtags with `items` (best first).
    func publishTags(_ items: [ScoredTags.Item]) throws(PluginError) {
        let build = key("build:tags")
        let buildAccounts = key("build:tags:accounts")
        try fill(build, items.map { (member: $0.tag, score: $0.score) })
        _ = try host.redis("DEL", buildAccounts)
        if !items.isEmpty {
            var command = ["HSET", buildAccounts].map { Array($0.utf8) }
            for item in items { command += [Array(item.tag.utf8), Array(String(item.accounts).utf8)] }
            _ = try host.redis(command)
        }
        _ = try host.redis("EVAL", Self.publishTagsScript, "4", build, buildAccounts, key("tags"), key("tags:accounts"))
    }

    /// Writes `members` into a fresh sorted set `key`, which expires in an hour unless renamed into place.
    private func fill(_ key: String, _ members: [(member: String, score: Double)]) throws(PluginError) {
        var commands: [[[UInt8]]] = [["DEL", key].map { Array($0.utf8) }]
        var start = 0
        while start < members.count {
            var command = ["ZADD", key].map { Array($0.utf8) }
            for entry in members[start..<min(start + 500, members.count)] {
                command += [Array(String(entry.score).utf8), Array(entry.member.utf8)]
            }
            commands.append(command)
            start += 500
        }
        commands.append(["PEXPIRE", key, "3600000"].map { Array($0.utf8) })
        for reply in try host.redisPipeline(commands) {
            if case .error(let message) = reply { throw PluginError(status: .internal, message: "Redis refused a ranking: \(message)") }
        }
    }

    // MARK: Reading (the routes)

    /// The generation of the ranking now shown; `nil` before the first computation.
    func currentGeneration() throws(PluginError) -> Int64? {
        try host.redis("GET", key("current")).text.flatMap { Int64($0) }
    }

    /// Whether generation `generation` can still be read (a replaced one expires; an empty one has no key).
    func exists(_ generation: Int64) throws(PluginError) -> Bool {
        try host.redis("EXISTS", postsKey(generation)) == .integer(1)
    }

    /// Up to `count` post ids of generation `generation` from `offset` (0 is the best), and how many it holds.
    func posts(_ generation: Int64, offset: Int, count: Int) throws(PluginError) -> (ids: [Int64], total: Int) {
        let key = postsKey(generation)
        let replies = try host.redisPipeline([
            ["ZREVRANGE", key, String(offset), String(offset + count - 1)].map { Array($0.utf8) },
            ["ZCARD", key].map { Array($0.utf8) },
        ])
        var ids: [Int64] = []
        if case .array(let members) = replies.first {
            ids = members.compactMap { $0.text.flatMap { Int64($0) } }
        }
        guard replies.count == 2, case .integer(let total) = replies[1] else { return (ids, 0) }
        return (ids, Int(total))
    }

    /// The best `limit` hashtags with their accounts today and scores.
    func tags(limit: Int) throws(PluginError) -> [ScoredTags.Item] {
        let reply = try host.redis("ZREVRANGE", key("tags"), "0", String(limit - 1), "WITHSCORES")
        guard case .array(let values) = reply, !values.isEmpty else { return [] }
        var pairs: [(tag: String, score: Double)] = []
        var index = 0
        while index + 1 < values.count {
            if let tag = values[index].text, let score = Self.number(values[index + 1]) { pairs.append((tag, score)) }
            index += 2
        }
        guard !pairs.isEmpty else { return [] }
        let counts = try host.redis([Array("HMGET".utf8), Array(key("tags:accounts").utf8)] + pairs.map { Array($0.tag.utf8) })
        var accounts: [Int64] = []
        if case .array(let replies) = counts { accounts = replies.map { $0.text.flatMap { Int64($0) } ?? 0 } }
        return pairs.enumerated().map { index, pair in
            ScoredTags.Item(tag: pair.tag, accounts: index < accounts.count ? accounts[index] : 0, score: pair.score)
        }
    }

    /// A score as RESP2 (text) or RESP3 (a double) gives it.
    private static func number(_ value: RedisValue) -> Double? {
        if case .double(let number) = value { return number }
        return value.text.flatMap { Double($0) }
    }

    /// KEYS: the built set, its final name, `current`, the previous generation's set; ARGV: the new generation, the
    /// previous one as read before building, the previous set's remaining life. A computation that lost the race to
    /// a newer one (two runners after a lost job lease) drops what it built.
    private static let publishPostsScript = """
        local current = redis.call('GET', KEYS[3]) or '0'
        if tonumber(current) >= tonumber(ARGV[1]) then
            redis.call('DEL', KEYS[1])
            return 0
        end
        if redis.call('EXISTS', KEYS[1]) == 1 then
            redis.call('RENAME', KEYS[1], KEYS[2])
            redis.call('PERSIST', KEYS[2])
        end
        redis.call('SET', KEYS[3], ARGV[1])
        if current == ARGV[2] and current ~= '0' then redis.call('PEXPIRE', KEYS[4], ARGV[3]) end
        return 1
        """

    /// KEYS: the built set and hash, their final names.
    private static let publishTagsScript = """
        redis.call('DEL', KEYS[3], KEYS[4])
        if redis.call('EXISTS', KEYS[1]) == 1 then
            redis.call('RENAME', KEYS[1], KEYS[3])
            redis.call('PERSIST', KEYS[3])
        end
        if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('RENAME', KEYS[2], KEYS[4]) end
        return 1
        """
}
