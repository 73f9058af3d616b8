import AuthContract
import ImageAppPlugin
import MediaContract

/// The feeds in Redis: one sorted set of post ids per user, and what the read path merges into it.
///
/// Keys (under the plugin's prefix):
/// - `home:<user>`: the user's home feed, member = post id, score = the post's time (milliseconds since 2024, the id's
///   high bits: exact in a double). It also holds the member `0` at score -1, the *built* marker: a feed without it
///   does not exist, and fan-out skips it (its owner is inactive and gets a rebuild from PostgreSQL on return). Reads
///   renew its expiry (`active_days`), so "exists" means "built and read in the last `active_days`".
/// - `large:<user>`: the accounts the user follows that are not fanned out (more than `pull_threshold` followers);
///   their posts are pulled from `author:<id>` at read time. Lives as long as `home:<user>`.
/// - `author:<id>`: a large account's recent posts (same scores, the same `0` marker), `author_recent_posts` long.
/// - `large_authors`: the accounts currently treated as large.
struct FeedStore: Sendable {
    let host: PluginHost
    let settings: FeedSettings

    private var prefix: String { settings.redisPrefix }
    func homeKey(_ user: UserID) -> String { "\(prefix):home:\(user)" }
    func largeKey(_ user: UserID) -> String { "\(prefix):large:\(user)" }
    func authorKey(_ author: UserID) -> String { "\(prefix):author:\(author)" }
    var largeAuthorsKey: String { "\(prefix):large_authors" }
    /// The pub/sub channel of ``FeedArrivals`` announcements.
    var arrivalsChannel: String { "\(prefix):arrivals" }

    /// The score of a post: the milliseconds in its id (ids are `ms << 22 | sequence`).
    static func score(_ post: PostID) -> Int64 { post.value >> 22 }

    // MARK: Writing

    /// Adds `post` to each feed of `keys` that exists, trimming it to `max`; the indices (0-based) of those that
    /// got it. One script call.
    func push(_ post: PostID, into keys: [String], max: Int) throws(PluginError) -> [Int] {
        guard !keys.isEmpty else { return [] }
        let reply = try eval(Self.pushScript, keys: keys, arguments: [post.description, String(Self.score(post)), String(max)])
        guard case .array(let indices) = reply else { return [] }
        return indices.compactMap { if case .integer(let index) = $0 { Int(index) - 1 } else { nil } }
    }

    /// Adds (or removes) `author` to the `large:<user>` set of each of `users` whose feed exists.
    func setLarge(_ author: UserID, _ large: Bool, for users: [UserID]) throws(PluginError) {
        guard !users.isEmpty else { return }
        let keys = users.map(homeKey) + users.map(largeKey)
        _ = try eval(Self.largeScript, keys: keys, arguments: [author.description, large ? "add" : "remove", String(settings.activeSeconds)])
    }

    /// Merges `posts` into the sorted set `key` (trimmed to `max`): only when it exists, or creating it (with the
    /// built marker) when `create`. False when it did not exist and was not created.
    @discardableResult
    func merge(_ posts: [PostID], into key: String, max: Int, create: Bool, ttl: Int?) throws(PluginError) -> Bool {
        var arguments = [String(max), create ? "create" : "exists", String(ttl ?? 0)]
        for post in posts { arguments += [String(Self.score(post)), post.description] }
        let reply = try eval(Self.mergeScript, keys: [key], arguments: arguments)
        return reply == .integer(1)
    }

    /// Removes `posts` from the sorted set `key`.
    func remove(_ posts: [PostID], from key: String) throws(PluginError) {
        guard !posts.isEmpty else { return }
        _ = try host.redis([Array("ZREM".utf8), Array(key.utf8)] + posts.map { Array($0.description.utf8) })
    }

    /// Replaces the set of large accounts `user` follows.
    func replaceLarge(_ authors: [UserID], for user: UserID) throws(PluginError) {
        var commands: [[[UInt8]]] = [[Array("DEL".utf8), Array(largeKey(user).utf8)]]
        if !authors.isEmpty {
            commands.append([Array("SADD".utf8), Array(largeKey(user).utf8)] + authors.map { Array($0.description.utf8) })
            commands.append([Array("EXPIRE".utf8), Array(largeKey(user).utf8), Array(String(settings.activeSeconds).utf8)])
        }
        _ = try host.redisPipeline(commands)
    }

    /// Deletes keys.
    func delete(_ keys: [String]) throws(PluginError) {
        _ = try host.redis([Array("DEL".utf8)] + keys.map { Array($0.utf8) })
    }

    /// Whether `key` exists.
    func exists(_ key: String) throws(PluginError) -> Bool {
        try host.redis("EXISTS", key) == .integer(1)
    }

    // MARK: Reading

    /// What one read of a home feed found.
    struct Candidates {
        /// `(score, id)` of the feed's and the large authors' posts at or below the cursor, unsorted.
        var entries: [(score: Int64, id: PostID)]
        /// Large authors whose `author:` list is missing (Redis lost it): fill them, then read again.
        var missingAuthors: [UserID]
    }

    /// Up to `count` posts of `user`'s feed (and as many of each large author's) at or below `maxScore`; `nil` when
    /// the feed does not exist. Renews the feed's expiry.
    func candidates(_ user: UserID, maxScore: Int64?, tieWindow: Bool, count: Int) throws(PluginError) -> Candidates? {
        let reply = try host.redis(
            "EVAL",
            Self.readScript,
            "2",
            homeKey(user),
            largeKey(user),
            maxScore.map(String.init) ?? "+inf",
            tieWindow ? "1" : "0",
            String(count),
            "\(prefix):author:",
            String(settings.activeSeconds)
        )
        guard case .array(let parts) = reply, parts.count == 2, case .array(let lists) = parts[0], case .array(let missing) = parts[1]
        else { return nil }
        var entries: [(score: Int64, id: PostID)] = []
        for case .array(let flat) in lists {
            var index = 0
            while index + 1 < flat.count {
                if let id = flat[index].text.flatMap(PostID.init), let score = flat[index + 1].text.flatMap({ Double($0) }) {
                    entries.append((Int64(score), id))
                }
                index += 2
            }
        }
        return Candidates(entries: entries, missingAuthors: missing.compactMap { $0.text.flatMap(UserID.init) })
    }

    /// `EVAL script` with `keys` and `arguments`.
    private func eval(_ script: String, keys: [String], arguments: [String]) throws(PluginError) -> RedisValue {
        let words: [String] = ["EVAL", script, String(keys.count)] + keys + arguments
        return try host.redis(words.map { Array($0.utf8) })
    }

    /// The newest post id in `user`'s feed or the lists it pulls (`""` when there is none); `nil` when the feed does
    /// not exist. Renews the feed's expiry. One script call: how a cached first page is checked.
    func head(_ user: UserID) throws(PluginError) -> String? {
        let reply = try host.redis("EVAL", Self.headScript, "2", homeKey(user), largeKey(user), "\(prefix):author:", String(settings.activeSeconds))
        guard case .array(let tops) = reply else { return nil }
        return tops.compactMap { $0.text.flatMap(PostID.init) }.max()?.description ?? ""
    }

    // MARK: Scripts

    /// KEYS: feeds; ARGV: post id, score, max entries. The `0` marker has the lowest rank and is kept by trimming
    /// ranks 1 .. -(max + 1).
    private static let pushScript = """
        local got = {}
        local stop = -(tonumber(ARGV[3]) + 1)
        for i, key in ipairs(KEYS) do
            if redis.call('EXISTS', key) == 1 then
                redis.call('ZADD', key, ARGV[2], ARGV[1])
                redis.call('ZREMRANGEBYRANK', key, 1, stop)
                got[#got + 1] = i
            end
        end
        return got
        """

    /// KEYS: n feeds, then their n `large:` sets; ARGV: author, "add" or "remove", ttl seconds.
    private static let largeScript = """
        local n = #KEYS / 2
        for i = 1, n do
            if redis.call('EXISTS', KEYS[i]) == 1 then
                local set = KEYS[n + i]
                if ARGV[2] == 'add' then
                    redis.call('SADD', set, ARGV[1])
                    redis.call('EXPIRE', set, ARGV[3])
                else
                    redis.call('SREM', set, ARGV[1])
                end
            end
        end
        return 1
        """

    /// KEYS: a sorted set; ARGV: max entries, "create" or "exists", ttl seconds (0: none), then score, id pairs.
    private static let mergeScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then
            if ARGV[2] ~= 'create' then return 0 end
            redis.call('ZADD', KEYS[1], -1, '0')
        end
        for i = 4, #ARGV, 2 do
            redis.call('ZADD', KEYS[1], ARGV[i], ARGV[i + 1])
        end
        redis.call('ZREMRANGEBYRANK', KEYS[1], 1, -(tonumber(ARGV[1]) + 1))
        if tonumber(ARGV[3]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[3]) end
        return 1
        """

    /// KEYS: the feed, its `large:` set; ARGV: the `author:` key prefix, ttl seconds. The top member of each.
    private static let headScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return false end
        redis.call('EXPIRE', KEYS[1], ARGV[2])
        redis.call('EXPIRE', KEYS[2], ARGV[2])
        local tops = redis.call('ZREVRANGEBYSCORE', KEYS[1], '+inf', 0, 'LIMIT', 0, 1)
        for _, author in ipairs(redis.call('SMEMBERS', KEYS[2])) do
            local top = redis.call('ZREVRANGEBYSCORE', ARGV[1] .. author, '+inf', 0, 'LIMIT', 0, 1)
            if top[1] then tops[#tops + 1] = top[1] end
        end
        return tops
        """

    /// KEYS: the feed, its `large:` set; ARGV: max score (inclusive), "1" when posts at exactly that score are
    /// filtered by the caller (read that many more), count, the `author:` key prefix, ttl seconds.
    private static let readScript = """
        if redis.call('EXISTS', KEYS[1]) == 0 then return false end
        redis.call('EXPIRE', KEYS[1], ARGV[5])
        redis.call('EXPIRE', KEYS[2], ARGV[5])
        local count = tonumber(ARGV[3])
        local function page(key)
            local extra = 0
            if ARGV[2] == '1' then extra = redis.call('ZCOUNT', key, ARGV[1], ARGV[1]) end
            return redis.call('ZREVRANGEBYSCORE', key, ARGV[1], 0, 'WITHSCORES', 'LIMIT', 0, count + extra)
        end
        local lists = {page(KEYS[1])}
        local missing = {}
        for _, author in ipairs(redis.call('SMEMBERS', KEYS[2])) do
            local key = ARGV[4] .. author
            if redis.call('EXISTS', key) == 1 then lists[#lists + 1] = page(key) else missing[#missing + 1] = author end
        end
        return {lists, missing}
        """
}
