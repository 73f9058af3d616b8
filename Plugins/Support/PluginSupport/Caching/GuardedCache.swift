public import ImageAppPlugin

/// JSON bodies cached through the host (each process's memory, then Redis), safe against the race between a change
/// and a rebuild.
///
/// A body built from what the database said just before a change could be stored just after that change's
/// invalidation, and then outlive it. So ``changed(_:tag:)`` first leaves a short marker for the subject, then
/// invalidates; and ``store(_:_:subject:tags:)`` checks for the marker after storing, and removes the body if one is
/// there. Whichever way the two interleave, no stale body survives the change.
public struct GuardedCache: Sendable {
    /// The plugin's host.
    public let host: PluginHost
    /// The prefix of the marker keys in Redis, such as `posts:changed`.
    public let markerPrefix: String
    /// How long a body lives; bounds what no change announces.
    public let ttl: Duration
    /// How long a marker lives: longer than a rebuild takes.
    public let markerMilliseconds: Int

    /// A cache whose markers are `<markerPrefix>:<subject>`.
    public init(host: PluginHost, markerPrefix: String, ttl: Duration, markerMilliseconds: Int = 5_000) {
        self.host = host
        self.markerPrefix = markerPrefix
        self.ttl = ttl
        self.markerMilliseconds = markerMilliseconds
    }

    /// A cached body: from this process's memory; else, when `canBlock`, from Redis.
    ///
    /// - Throws: ``WouldBlock`` when only Redis could say and the caller may not block.
    public func body(_ key: String, canBlock: Bool) throws(WouldBlock) -> [UInt8]? {
        if let bytes = host.cachePeek(key) { return bytes }
        guard canBlock else { throw WouldBlock() }
        return try? host.cacheGet(key)
    }

    /// Caches `body` under `key` with `tags`; drops it again when `subject` changed meanwhile. A failure only costs
    /// a later rebuild. Blocks: worker threads only.
    public func store(_ key: String, _ body: [UInt8], subject: String, tags: [String]) {
        guard (try? host.cacheSet(key, body, ttl: ttl, tags: tags)) != nil else { return }
        if (try? host.redis("EXISTS", marker(subject))) != .integer(0) {
            try? host.cacheDelete(key)
        }
    }

    /// Marks `subject` as just changed and drops every body tagged `tag`, on every instance. Blocks.
    ///
    /// - Throws: ``PluginError`` when Redis cannot be reached: the bodies then expire on their own within ``ttl``.
    public func changed(_ subject: String, tag: String) throws(PluginError) {
        _ = try host.redis("SET", marker(subject), "1", "PX", String(markerMilliseconds))
        try host.cacheInvalidate(tag: tag)
    }

    private func marker(_ subject: String) -> String { "\(markerPrefix):\(subject)" }
}
