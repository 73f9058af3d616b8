import CImageAppPlugin

// ABI 1.5 cache: tagged byte values in Redis (`host.redis_url`), under `<redis_namespace>:cache:`.

extension PluginHost {
    /// Caches `bytes` under `key` for `ttl`, tagged with `tags` so that ``cacheInvalidate(tag:)`` drops them all at
    /// once. Atomic. Blocks: worker threads only.
    ///
    /// ```swift
    /// try host.cacheSet("profile:\(id)", json, ttl: .seconds(60), tags: ["user:\(id)"])
    /// ```
    ///
    /// - Parameters:
    ///   - key: The cache key; prefix it with your plugin's name.
    ///   - bytes: The value.
    ///   - ttl: How long the value lives; positive, rounded up to whole milliseconds.
    ///   - tags: Tags for ``cacheInvalidate(tag:)``.
    /// - Throws: ``PluginError`` with ``PluginStatus/invalidArgument`` for an empty key or a `ttl` that is not
    ///   positive, ``PluginStatus/unavailable`` without `host.redis_url` or a connection, or
    ///   ``PluginStatus/unsupported`` on a host older than ABI 1.5.
    public func cacheSet(_ key: String, _ bytes: [UInt8], ttl: Duration, tags: [String] = []) throws(PluginError) {
        guard has(\.cache_set), let set = api.pointee.cache_set else { throw unsupported("the cache", since: 5) }
        let milliseconds = try Self.milliseconds(ttl, key: key)
        var error = ia_error.empty()
        let status = withIAStrs([key] + tags) { views in
            bytes.withUnsafeBytes { data in
                let tagViews = tags.isEmpty ? nil : views.baseAddress! + 1
                return set(handle, views[0], data.baseAddress, data.count, milliseconds, tagViews, tags.count, &error)
            }
        }
        try check(status, error, "cannot cache '\(key)'")
    }

    /// The cached value of `key`, or `nil` on a miss. Blocks: worker threads only.
    ///
    /// - Throws: ``PluginError`` as for ``cacheSet(_:_:ttl:tags:)``.
    public func cacheGet(_ key: String) throws(PluginError) -> [UInt8]? {
        guard has(\.cache_get), let get = api.pointee.cache_get else { throw unsupported("the cache", since: 5) }
        return try bufferCall("cannot read cache key '\(key)'", missingIsNil: true) { buffer, error in
            key.withIAStr { get(handle, $0, &buffer, &error) }
        }
    }

    /// The copy of `key`'s cached value in this process's memory, or `nil`: never blocks, so it serves the
    /// non-blocking fast path (ABI 1.7; `nil` on older hosts). A `nil` does not mean the key is not cached: ask
    /// ``cacheGet(_:)`` from a worker thread.
    public func cachePeek(_ key: String) -> [UInt8]? {
        guard has(\.cache_peek), let peek = api.pointee.cache_peek else { return nil }
        return try? bufferCall("cannot peek at cache key '\(key)'", missingIsNil: true) { buffer, _ in
            key.withIAStr { peek(handle, $0, &buffer) }
        }
    }

    /// Drops the cached value of `key`. Blocks: worker threads only.
    ///
    /// - Throws: ``PluginError`` as for ``cacheSet(_:_:ttl:tags:)``.
    public func cacheDelete(_ key: String) throws(PluginError) {
        guard has(\.cache_delete), let delete = api.pointee.cache_delete else {
            throw unsupported("the cache", since: 5)
        }
        var error = ia_error.empty()
        let status = key.withIAStr { delete(handle, $0, &error) }
        try check(status, error, "cannot delete cache key '\(key)'")
    }

    /// Drops every cached value set with `tag`, atomically. Blocks: worker threads only.
    ///
    /// - Throws: ``PluginError`` as for ``cacheSet(_:_:ttl:tags:)``.
    public func cacheInvalidate(tag: String) throws(PluginError) {
        guard has(\.cache_invalidate_tag), let invalidate = api.pointee.cache_invalidate_tag else {
            throw unsupported("the cache", since: 5)
        }
        var error = ia_error.empty()
        let status = tag.withIAStr { invalidate(handle, $0, &error) }
        try check(status, error, "cannot invalidate cache tag '\(tag)'")
    }

    /// `ttl` in whole milliseconds, rounded up; throws unless it is positive and fits in `Int64`.
    private static func milliseconds(_ ttl: Duration, key: String) throws(PluginError) -> Int64 {
        let (seconds, attoseconds) = ttl.components
        guard ttl > .zero, seconds < Int64.max / 1000 - 1 else {
            throw PluginError(
                status: .invalidArgument,
                message: "cannot cache '\(key)': the ttl \(ttl) is out of range"
            )
        }
        let attosecondsPerMillisecond: Int64 = 1_000_000_000_000_000
        return seconds * 1000 + (attoseconds + attosecondsPerMillisecond - 1) / attosecondsPerMillisecond
    }
}
