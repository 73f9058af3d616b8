import AuthContract
import ImageAppPlugin

// `GET /api/v1/me` and public profiles are read far more often than they change, so their answers are cached (host
// cache, with copies in each process's memory): a hit is served on the event loop (ABI 1.7), a miss once on a worker
// thread. Both are tagged `user:<id>`, which auth invalidates when the account changes and this plugin when the
// profile does.

extension ProfilesPlugin {
    /// How long a cached `/me` answer lives. Changes invalidate it at once; the lifetime bounds only what no plugin
    /// announces (another plugin's counts).
    static let meCacheTTL: Duration = .seconds(30)

    /// The cache key of `userID`'s `/me` answer.
    func meCacheKey(_ userID: UserID) -> String { "profiles:me:\(userID)" }

    /// The Redis key that marks a recent change of `userID`'s profile (see ``cache(_:of:_:)``).
    func changeMarker(_ userID: UserID) -> String { "\(settings.redisPrefix):changed:\(userID)" }

    /// A cached body: from this process's memory; else, when the request may block, from Redis. Throws
    /// ``WouldBlock`` on the event loop when memory has no copy.
    func cached(_ key: String, _ request: Request) throws -> [UInt8]? {
        if let bytes = host.cachePeek(key) { return bytes }
        guard request.canBlock else { throw WouldBlock() }
        return try? host.cacheGet(key)
    }

    /// Caches a body about `userID` under the shared tag `user:<id>`. A failure only costs the next request a rebuild.
    ///
    /// A body built from what the database said just before a change could be stored just after that change's
    /// invalidation, and then outlive it. So a change first leaves a short marker, then invalidates; and a body is
    /// checked against the marker after it is stored, and removed if one is there. Whichever way the two interleave,
    /// no stale body survives.
    func cache(_ key: String, of userID: UserID, _ body: [UInt8]) {
        guard (try? host.cacheSet(key, body, ttl: Self.meCacheTTL, tags: ["user:\(userID)"])) != nil else { return }
        if (try? host.redis("EXISTS", changeMarker(userID))) != .integer(0) {
            try? host.cacheDelete(key)
        }
    }

    /// Drops what any plugin cached about `userID` (tag `user:<id>`), after the profile changed.
    func profileChanged(_ userID: UserID, _ request: Request? = nil) {
        do {
            _ = try host.redis("SET", changeMarker(userID), "1", "PX", "5000")
            try host.cacheInvalidate(tag: "user:\(userID)")
        } catch {
            let message = "cannot invalidate the cache tag of user \(userID): \(error)"
            if let request { request.log(.warning, message) } else { host.log(.warning, message) }
        }
    }

    /// The answer for a cached JSON body.
    static func jsonResponse(body: [UInt8], cacheControl: String?) -> Response {
        var headers = [("Content-Type", "application/json")]
        if let cacheControl { headers.append(("Cache-Control", cacheControl)) }
        return Response(status: 200, headers: headers, body: body)
    }
}
