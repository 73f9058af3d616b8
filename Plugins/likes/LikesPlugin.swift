import ImageAppPlugin
import MediaContract
import PluginSupport
import PostsContract

/// likes: who likes which post, durable in PostgreSQL at once, with **write-behind counters**.
///
/// A like is a row in `likes` (the truth), committed before the request is answered — together with the likes of the
/// other requests waiting at that moment (``LikeWriter``). The count is a Redis counter, changed by
/// the request after the commit, so a hot post never serializes on one counter row; the changes are also summed in
/// a Redis hash that a worker job (`flush`, every `flush_interval_ms`) moves to `like_counts` in PostgreSQL, exactly
/// once per batch (``LikeCounter``). A counter Redis lost is rebuilt from the rows.
///
/// | route | what it does |
/// |---|---|
/// | `PUT /api/v1/posts/{id}/like` | likes the post (idempotent) → `{"liked": true, "like_count"}` |
/// | `DELETE /api/v1/posts/{id}/like` | takes the like back (idempotent) → `{"liked": false, "like_count"}` |
/// | `GET /api/v1/posts/{id}/likes` | who likes it, newest first, as user summaries |
///
/// Answers `likes.post_counts` and `likes.liked_posts` for `posts`, raises `like.created` and `like.deleted`, and
/// follows `post.deleted` and `user.deleted`.
struct LikesPlugin: Sendable {
    let host: PluginHost
    let settings: LikesSettings
    let counter: LikeCounter
    /// Commits the likes of concurrent requests together.
    let writer: LikeWriter

    static func initialize(_ registrar: PluginRegistrar) throws {
        let host = registrar.host
        let settings = try LikesSettings(host: host)
        let counter = LikeCounter(host: host, prefix: settings.redisPrefix)
        let writer = LikeWriter { changes in
            let applied = try host.dispatchCommand("likes.apply", json: LikeChanges(changes: changes).json, as: AppliedChanges.self)
            guard applied.found.count == changes.count, applied.changed.count == changes.count else { throw HTTPError.internalError }
            // Each post's net change in one script, which also answers the counts of posts whose likes did not change.
            var deltas: [PostID: Int] = [:]
            for (index, change) in changes.enumerated() where applied.found[index] {
                deltas[change.postId, default: 0] += applied.changed[index] ? (change.liked ? 1 : -1) : 0
            }
            let counts = try counter.adjust(deltas)
            // Each changed post's rendered copies go once per batch, before any of its requests is answered: likes
            // come in runs on one hot post, and an invalidation per like was two Redis round trips each.
            let changedPosts = Set(changes.indices.filter { applied.changed[$0] }.map { changes[$0].postId })
            for post in changedPosts.sorted() {
                do {
                    try GuardedCache.changed(tag: PostsCollaboration.cacheTag(post), host: host)
                } catch {
                    host.log(.warning, "cannot invalidate the cache of post \(post): \(error)")
                }
            }
            return changes.indices.map { index in
                LikeOutcome(found: applied.found[index], changed: applied.changed[index], count: counts[changes[index].postId])
            }
        }
        let plugin = LikesPlugin(host: host, settings: settings, counter: counter, writer: writer)
        try plugin.registerMigrations(registrar)
        try plugin.registerCommands(registrar)
        try plugin.registerQueries(registrar)
        try plugin.registerEventHandlers(registrar)
        try plugin.registerFlush(registrar)
        try plugin.registerRoutes(registrar)
    }
}
