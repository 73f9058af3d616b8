public import ImageAppPlugin

/// JSON bodies cached through the host (each process's memory, then Redis), safe against the race between a change
/// and a rebuild.
///
/// A body built from what the database said just before a change could be stored just after that change's
/// invalidation, and then outlive it. So a change first leaves a short marker for its cache tag, then invalidates the
/// tag (``changed(tag:host:markerMilliseconds:)``); and ``store(_:_:tags:)`` checks the markers of the body's tags
/// after storing, and removes the body if one is there. Whichever way the two interleave, no stale body survives the
/// change. Markers are keyed by tag alone, so that any plugin changing what another caches (comments changing a
/// post's count) announces it the same way.
public struct GuardedCache: Sendable {
    /// The plugin's host.
    public let host: PluginHost
    /// How long a body lives at most; bounds what no change announces. Each body gets between 80 % and all of it, so
    /// that bodies cached in one burst (a page's posts, every reader after a restart) do not all expire in one burst
    /// and send every reader to the database at once.
    public let ttl: Duration

    /// A cache whose bodies live `ttl`.
    public init(host: PluginHost, ttl: Duration) {
        self.host = host
        self.ttl = ttl
    }

    /// A cached body: from this process's memory; else, when `canBlock`, from Redis.
    ///
    /// - Throws: ``WouldBlock`` when only Redis could say and the caller may not block.
    public func body(_ key: String, canBlock: Bool) throws(WouldBlock) -> [UInt8]? {
        if let bytes = host.cachePeek(key) { return bytes }
        guard canBlock else { throw WouldBlock() }
        return try? host.cacheGet(key)
    }

    /// Caches `body` under `key` with `tags`; drops it again when one of the tags changed meanwhile. A failure only
    /// costs a later rebuild. Blocks: worker threads only.
    public func store(_ key: String, _ body: [UInt8], tags: [String]) {
        guard (try? host.cacheSet(key, body, ttl: ttl * Double.random(in: 0.8...1.0), tags: tags)) != nil else { return }
        let markers = tags.map { Array(Self.marker($0).utf8) }
        if (try? host.redis([Array("EXISTS".utf8)] + markers)) != .integer(0) {
            try? host.cacheDelete(key)
        }
    }

    /// Marks cache tag `tag` as just changed and drops every body tagged with it, on every instance. Blocks.
    ///
    /// - Throws: ``PluginError`` when Redis cannot be reached: the bodies then expire on their own.
    public static func changed(tag: String, host: PluginHost, markerMilliseconds: Int = 5_000) throws(PluginError) {
        _ = try host.redis("SET", marker(tag), "1", "PX", String(markerMilliseconds))
        try host.cacheInvalidate(tag: tag)
    }

    /// The marker of `tag` (one key space for every plugin: a tag names the same thing to all).
    private static func marker(_ tag: String) -> String { "cache-changed:\(tag)" }
}
