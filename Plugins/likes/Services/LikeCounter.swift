import ImageAppPlugin
import MediaContract

/// The like counters in Redis, and the write-behind batches that carry their changes to PostgreSQL.
///
/// Keys (under the plugin's prefix): `count:<post>` the exact count, `gen:<post>` a change number, `delta` a hash of
/// changes not yet flushed, `flushing` / `flushing_id` the batch being flushed.
///
/// - The likes and unlikes of a batch that **committed** call ``adjust(_:)``: one script, per post, bumps the change
///   number, adds to `delta`, and changes the count if Redis has it.
/// - A missing count is rebuilt from `likes` (``count(_:rebuild:)``): the change number is read before counting and
///   checked when storing, so a like that lands in between makes the rebuild start over instead of storing a count
///   that misses it.
/// - A flush takes `delta` by renaming it to `flushing` under a new id (or takes the batch a crashed flush left,
///   with its old id), applies it in one transaction that records the id (a batch applied before is skipped), and
///   only then deletes it: a worker killed at any point loses and doubles nothing.
struct LikeCounter: Sendable {
    let host: PluginHost
    let prefix: String

    private func key(_ name: String) -> String { "\(prefix):\(name)" }
    private func countKey(_ post: PostID) -> String { key("count:\(post)") }
    private func genKey(_ post: PostID) -> String { key("gen:\(post)") }

    /// Records committed changes (`deltas`: likes added, negative for taken back, per post; 0 for none) in one script;
    /// the posts' counts after them, without those Redis has no counter for yet.
    func adjust(_ deltas: [PostID: Int]) throws(PluginError) -> [PostID: Int64] {
        guard !deltas.isEmpty else { return [:] }
        let posts = Array(deltas.keys)
        var words: [String] = ["EVAL", Self.adjustScript, String(posts.count * 2 + 1)]
        words += posts.map(countKey) + posts.map(genKey) + [key("delta")]
        words += posts.flatMap { [$0.description, String(deltas[$0] ?? 0)] }
        let reply = try host.redis(words.map { Array($0.utf8) })
        guard case .array(let values) = reply, values.count == posts.count else { return [:] }
        var counts: [PostID: Int64] = [:]
        for (post, value) in zip(posts, values) {
            if case .integer(let count) = value { counts[post] = count }
        }
        return counts
    }

    /// The counts of `posts` from Redis; missing ones rebuilt with `rebuild` (a `count(*)` of the post's rows).
    func counts(_ posts: [PostID], rebuild: (PostID) throws -> Int64) throws -> [PostID: Int64] {
        guard !posts.isEmpty else { return [:] }
        let reply = try host.redis([Array("MGET".utf8)] + posts.map { Array(countKey($0).utf8) })
        var counts: [PostID: Int64] = [:]
        if case .array(let values) = reply {
            for (post, value) in zip(posts, values) {
                if let text = value.text, let count = Int64(text) { counts[post] = count }
            }
        }
        for post in posts where counts[post] == nil {
            counts[post] = try count(post, rebuild: rebuild)
        }
        return counts
    }

    /// The count of `post`, rebuilding it from the rows if Redis has none.
    func count(_ post: PostID, rebuild: (PostID) throws -> Int64) throws -> Int64 {
        for _ in 0..<5 {
            if let text = try host.redis("GET", countKey(post)).text, let count = Int64(text) { return count }
            let generation = try host.redis("GET", genKey(post)).text ?? "0"
            let counted = try rebuild(post)
            let stored = try host.redis("EVAL", Self.rebuildScript, "2", countKey(post), genKey(post), generation, String(counted))
            if case .integer(let count) = stored { return count }
        }
        // Likes keep landing while counting: answer the rows' count; the next read tries again.
        return try rebuild(post)
    }

    /// Forgets a deleted post's counter.
    func forget(_ post: PostID) throws(PluginError) {
        _ = try host.redis("DEL", countKey(post), genKey(post))
    }

    /// The batch to flush: its id and `{post: delta}`; `nil` when there is nothing to flush.
    func takeBatch(newID: String) throws(PluginError) -> (id: String, deltas: [String: Int64])? {
        let reply = try host.redis("EVAL", Self.takeScript, "3", key("delta"), key("flushing"), key("flushing_id"), newID)
        guard case .array(let parts) = reply, parts.count == 2, let id = parts[0].text, case .array(let fields) = parts[1] else { return nil }
        var deltas: [String: Int64] = [:]
        var index = 0
        while index + 1 < fields.count {
            if let post = fields[index].text, let value = fields[index + 1].text.flatMap({ Int64($0) }), value != 0 {
                deltas[post] = value
            }
            index += 2
        }
        return (id, deltas)
    }

    /// Deletes the batch `id` once PostgreSQL has it.
    func finishBatch(_ id: String) throws(PluginError) {
        _ = try host.redis("EVAL", Self.finishScript, "2", key("flushing"), key("flushing_id"), id)
    }

    /// KEYS: n count keys, their n change-number keys, the `delta` hash; ARGV: post id, delta pairs. Returns each
    /// post's count (false where there is no counter).
    private static let adjustScript = """
        local n = (#KEYS - 1) / 2
        local counts = {}
        for i = 1, n do
            local delta = tonumber(ARGV[2 * i])
            local count = false
            if delta ~= 0 then
                redis.call('INCR', KEYS[n + i])
                redis.call('HINCRBY', KEYS[#KEYS], ARGV[2 * i - 1], delta)
                if redis.call('EXISTS', KEYS[i]) == 1 then count = redis.call('INCRBY', KEYS[i], delta) end
            else
                local text = redis.call('GET', KEYS[i])
                if text then count = tonumber(text) end
            end
            counts[i] = count
        end
        return counts
        """

    private static let rebuildScript = """
        local generation = redis.call('GET', KEYS[2]) or '0'
        if generation ~= ARGV[1] then return false end
        redis.call('SET', KEYS[1], ARGV[2])
        return tonumber(ARGV[2])
        """

    private static let takeScript = """
        if redis.call('EXISTS', KEYS[2]) == 0 then
            if redis.call('EXISTS', KEYS[1]) == 0 then return false end
            redis.call('RENAME', KEYS[1], KEYS[2])
            redis.call('SET', KEYS[3], ARGV[1])
        elseif not redis.call('GET', KEYS[3]) then
            redis.call('SET', KEYS[3], ARGV[1])
        end
        return {redis.call('GET', KEYS[3]), redis.call('HGETALL', KEYS[2])}
        """

    private static let finishScript = """
        if redis.call('GET', KEYS[2]) == ARGV[1] then redis.call('DEL', KEYS[1], KEYS[2]) end
        return 1
        """
}
