import AuthContract
import ImageAppPlugin
import PluginSupport
import ProfilesContract

// `GET /api/v1/me` and public profiles are read far more often than they change, so their answers are cached (host
// cache, with copies in each process's memory): a hit is served on the event loop (ABI 1.7), a miss once on a worker
// thread. Both are tagged `user:<id>`, which auth invalidates when the account changes and this plugin when the
// profile does, and `user-counts:<id>`, which plugins that count (follows) invalidate when a count changes.

extension ProfilesPlugin {
    /// How long a cached `/me` answer lives. Changes invalidate it at once; the lifetime bounds only what no plugin
    /// announces (another plugin's counts).
    static let meCacheTTL: Duration = .seconds(30)

    /// The cache key of `userID`'s `/me` answer.
    func meCacheKey(_ userID: UserID) -> String { "profiles:me:\(userID)" }

    /// A cached body: from this process's memory; else, when the request may block, from Redis. Throws
    /// ``WouldBlock`` on the event loop when memory has no copy.
    func cached(_ key: String, _ request: Request) throws -> [UInt8]? {
        try GuardedCache(host: host, ttl: Self.meCacheTTL).body(key, canBlock: request.canBlock)
    }

    /// Caches a body about `userID` under the shared tags `user:<id>` (anything about the user) and `user-counts:<id>`
    /// (what shows their counts). A failure only costs the next request a rebuild. ``GuardedCache`` closes the race
    /// between a rebuild and a change.
    func cache(_ key: String, of userID: UserID, _ body: [UInt8]) {
        GuardedCache(host: host, ttl: Self.meCacheTTL).store(
            key,
            body,
            tags: [ProfilesCollaboration.userTag(userID), ProfilesCollaboration.countsTag(userID)]
        )
    }

    /// Drops what any plugin cached about `userID` (tag `user:<id>`), after the profile changed.
    func profileChanged(_ userID: UserID, _ request: Request? = nil) {
        do {
            try GuardedCache.changed(tag: ProfilesCollaboration.userTag(userID), host: host)
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
