import Dispatch
import ImageAppPlugin
import PluginSupport

/// feed: home feeds by **fan-out on write with a hybrid pull**, and everyone's newest posts.
///
/// A worker handling `post.created` adds the post's id to the Redis feed of each of the author's followers whose feed
/// is alive (read in the last `active_days`), in batches of one script call each, and to the author's own. Authors
/// with more than `pull_threshold` followers are not fanned out: readers pull their recent posts and merge them. A
/// feed that expired (or that Redis lost) is rebuilt from PostgreSQL inside the first request that reads it, so that
/// request already answers the whole feed. Pages are ids (Redis, then a short per-viewer page cache) rendered by
/// `posts.views` (posts' per-post cache): a warm page is served on the event loop. See ``FeedStore`` for the keys.
///
/// | route | what it does |
/// |---|---|
/// | `GET /api/v1/feed/home` | the signed-in user's home feed, newest first |
/// | `GET /api/v1/feed/new` | everyone's newest posts |
///
/// Follows `post.created`, `post.deleted`, `follow.created`, `follow.deleted` and `user.deleted`; asks
/// `follows.follower_ids`, `follows.followees`, `follows.profile_counts`, `posts.views` and
/// `posts.recent_by_authors`; pushes `feed.post` through `realtime` when it is loaded.
struct FeedPlugin: Sendable {
    let host: PluginHost
    let settings: FeedSettings
    let store: FeedStore
    /// Pages of ids, with the viewer's likes among them.
    let pages: GuardedCache
    /// Whether the realtime plugin is loaded.
    let realtime: RealtimeAvailability
    /// Turns for reading and rendering a page afresh (`render_concurrency` at once in a process).
    let renders: DispatchSemaphore
    /// Posts announced into feeds, against which first pages in memory are checked.
    let arrivals: FeedArrivals

    static func initialize(_ registrar: PluginRegistrar) throws {
        let host = registrar.host
        let settings = try FeedSettings(host: host)
        let plugin = FeedPlugin(
            host: host,
            settings: settings,
            store: FeedStore(host: host, settings: settings),
            pages: GuardedCache(host: host, ttl: .milliseconds(max(1, settings.pageCacheMilliseconds))),
            realtime: RealtimeAvailability(),
            renders: DispatchSemaphore(value: settings.renderConcurrency),
            arrivals: FeedArrivals()
        )
        try registrar.subscribe(channel: plugin.store.arrivalsChannel) { [arrivals = plugin.arrivals] _, payload in
            arrivals.apply(message: payload)
        }
        try plugin.registerEventHandlers(registrar)
        try plugin.registerRoutes(registrar)
    }
}
