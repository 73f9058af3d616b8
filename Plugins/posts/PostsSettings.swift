import ImageAppPlugin
import PluginSupport

/// The `[plugins.posts]` settings, read and checked once in `initialize`.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `count_queries` | `["comments.post_counts", "likes.post_counts"]` | queries whose counts fill `comment_count` and `like_count` |
/// | `liked_query` | `"likes.liked_posts"` | the query that says which posts the viewer likes (`""` for none) |
/// | `cache_ttl_seconds` | `300` | how long a rendered post is cached (each entry 80–100 % of it). Every change (edit, deletion, counts, the author's profile or ban) drops it at once; this bounds only what an invalidation lost with a crashed process could leave |
/// | `redis_prefix` | `"posts"` | the plugin's own Redis keys (none today: rendered posts are host cache entries under the fixed `PostsCollaboration.viewCacheKey`, which other plugins peek at) |
/// | `max_image_bytes` | `16777216` | the largest image of the one-step form (keep it media's `max_bytes`) |
struct PostsSettings: Sendable {
    var countQueries: [String]
    var likedQuery: String?
    var cacheTTLSeconds = 300
    var redisPrefix = "posts"
    /// The largest image of the one-step form; keep it media's `max_bytes` (media refuses larger ones anyway).
    var maxImageBytes = 16 * 1024 * 1024

    /// Reads the settings from the host.
    ///
    /// - Throws: ``PluginError`` naming the setting and what is wrong with it, so that the host refuses to load.
    init(host: PluginHost) throws(PluginError) {
        countQueries = try QueryNameList.setting(
            "count_queries",
            host: host,
            defaults: ["comments.post_counts", "likes.post_counts"]
        )
        let liked = try host.setting("liked_query") ?? "likes.liked_posts"
        guard liked.isEmpty || QueryNameList.isQueryName(liked) else {
            throw PluginError(status: .invalidArgument, message: "setting 'liked_query' must be a query name or \"\"")
        }
        likedQuery = liked.isEmpty ? nil : liked
        if let ttl = try host.intSetting("cache_ttl_seconds") {
            guard (1...3_600).contains(ttl) else {
                throw PluginError(status: .invalidArgument, message: "setting 'cache_ttl_seconds' must be from 1 to 3600, got \(ttl)")
            }
            cacheTTLSeconds = ttl
        }
        redisPrefix = try host.setting("redis_prefix") ?? "posts"
        maxImageBytes = try host.intSetting("max_image_bytes", in: 1...(64 * 1024 * 1024)) ?? maxImageBytes
        host.warnAboutUnknownSettings(known: Self.knownKeys)
    }

    private static let knownKeys: Set<String> = ["count_queries", "liked_query", "cache_ttl_seconds", "redis_prefix", "max_image_bytes"]
}
