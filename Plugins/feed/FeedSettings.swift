import ImageAppPlugin
import PluginSupport

/// The `[plugins.feed]` settings, read and checked once in `initialize`.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `max_entries` | `800` | posts kept in each home feed (the oldest fall off) |
/// | `active_days` | `7` | a feed not read for this long expires; its owner gets no pushes and a rebuild on return |
/// | `pull_threshold` | `10000` | authors with more followers are not fanned out: their posts are pulled at read time |
/// | `author_recent_posts` | `200` | recent posts kept per large author, for the pull |
/// | `follow_merge_posts` | `200` | recent posts of a newly followed account merged into the follower's feed |
/// | `fanout_batch` | `1000` | feeds updated per Redis script call during fan-out |
/// | `page_cache_ms` | `300000` | how long a page's ids (and the viewer's likes among them) are cached in Redis; a cached first page is used only while the feed's newest post is the same (checked in Redis whenever a newer post was announced into the feed, see `FeedArrivals`), so a fanned-out post shows at once (0: no page cache) |
/// | `render_concurrency` | `4` | pages read and rendered afresh at once per process (others wait, then use the result); keep it well under `host.database_pool_size` |
/// | `redis_prefix` | `"feed"` | the plugin's Redis keys |
struct FeedSettings: Sendable {
    var maxEntries = 800
    var activeDays = 7
    var pullThreshold: Int64 = 10_000
    var authorRecentPosts = 200
    var followMergePosts = 200
    var fanoutBatch = 1_000
    var pageCacheMilliseconds = 300_000
    var renderConcurrency = 4
    var redisPrefix = "feed"

    /// Seconds a feed lives without being read.
    var activeSeconds: Int { activeDays * 86_400 }

    init(host: PluginHost) throws(PluginError) {
        maxEntries = try host.intSetting("max_entries", in: 20...10_000) ?? maxEntries
        activeDays = try host.intSetting("active_days", in: 1...365) ?? activeDays
        pullThreshold = Int64(try host.intSetting("pull_threshold", in: 1...100_000_000) ?? Int(pullThreshold))
        authorRecentPosts = try host.intSetting("author_recent_posts", in: 1...1_000) ?? authorRecentPosts
        followMergePosts = try host.intSetting("follow_merge_posts", in: 0...1_000) ?? followMergePosts
        fanoutBatch = try host.intSetting("fanout_batch", in: 1...10_000) ?? fanoutBatch
        pageCacheMilliseconds = try host.intSetting("page_cache_ms", in: 0...600_000) ?? pageCacheMilliseconds
        renderConcurrency = try host.intSetting("render_concurrency", in: 1...256) ?? renderConcurrency
        redisPrefix = try host.setting("redis_prefix") ?? redisPrefix
        host.warnAboutUnknownSettings(known: [
            "max_entries", "active_days", "pull_threshold", "author_recent_posts", "follow_merge_posts", "fanout_batch",
            "page_cache_ms", "render_concurrency", "redis_prefix",
        ])
    }
}
