import ImageAppPlugin
import PluginSupport

/// The `[plugins.trending]` settings, read and checked once in `initialize`.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `interval_ms` | `300000` | how often a worker recomputes trending posts and tags (5 minutes) |
/// | `window_hours` | `48` | posts older than this are not scored |
/// | `half_life_minutes` | `120` | an engagement counts half as much this much later |
/// | `comment_weight` | `2` | a comment counts this many likes |
/// | `top_posts` | `500` | trending posts kept |
/// | `tag_half_life_minutes` | `240` | a hashtag use counts half as much this much later |
/// | `tag_baseline_days` | `7` | the days before today whose daily accounts are a hashtag's baseline |
/// | `tag_min_accounts` | `3` | accounts that must use a hashtag today before it can trend |
/// | `tag_smoothing` | `2` | added to the baseline, so a hashtag new today needs several accounts to lead |
/// | `top_tags` | `100` | trending hashtags kept |
/// | `cursor_ttl_seconds` | `900` | how long a replaced ranking still serves the cursors that point into it |
/// | `cache_ttl_ms` | `10000` | how long an answer is cached (`0`: not cached) |
/// | `redis_prefix` | `"trending"` | the plugin's Redis keys |
struct TrendingSettings: Sendable {
    var intervalMilliseconds = 300_000
    var windowHours = 48
    var halfLifeMinutes = 120
    var commentWeight = 2.0
    var topPosts = 500
    var tagHalfLifeMinutes = 240
    var tagBaselineDays = 7
    var tagMinAccounts = 3
    var tagSmoothing = 2.0
    var topTags = 100
    var cursorTTLSeconds = 900
    var cacheTTLMilliseconds = 10_000
    var redisPrefix = "trending"

    init(host: PluginHost) throws(PluginError) {
        intervalMilliseconds = try host.intSetting("interval_ms", in: 100...86_400_000) ?? intervalMilliseconds
        windowHours = try host.intSetting("window_hours", in: 1...720) ?? windowHours
        halfLifeMinutes = try host.intSetting("half_life_minutes", in: 1...100_000) ?? halfLifeMinutes
        commentWeight = try Self.double(host, "comment_weight", in: 0...1_000) ?? commentWeight
        topPosts = try host.intSetting("top_posts", in: 1...10_000) ?? topPosts
        tagHalfLifeMinutes = try host.intSetting("tag_half_life_minutes", in: 1...100_000) ?? tagHalfLifeMinutes
        tagBaselineDays = try host.intSetting("tag_baseline_days", in: 1...60) ?? tagBaselineDays
        tagMinAccounts = try host.intSetting("tag_min_accounts", in: 1...1_000_000) ?? tagMinAccounts
        tagSmoothing = try Self.double(host, "tag_smoothing", in: 0.01...1_000_000) ?? tagSmoothing
        topTags = try host.intSetting("top_tags", in: 1...1_000) ?? topTags
        cursorTTLSeconds = try host.intSetting("cursor_ttl_seconds", in: 1...86_400) ?? cursorTTLSeconds
        cacheTTLMilliseconds = try host.intSetting("cache_ttl_ms", in: 0...3_600_000) ?? cacheTTLMilliseconds
        redisPrefix = try host.setting("redis_prefix") ?? redisPrefix
        host.warnAboutUnknownSettings(known: [
            "interval_ms", "window_hours", "half_life_minutes", "comment_weight", "top_posts", "tag_half_life_minutes",
            "tag_baseline_days", "tag_min_accounts", "tag_smoothing", "top_tags", "cursor_ttl_seconds", "cache_ttl_ms",
            "redis_prefix",
        ])
    }

    /// A number setting (the host takes an integer too) within `range`.
    private static func double(_ host: PluginHost, _ key: String, in range: ClosedRange<Double>) throws(PluginError) -> Double? {
        guard let value = try host.doubleSetting(key) else { return nil }
        guard range.contains(value) else {
            throw PluginError(
                status: .invalidArgument,
                message: "setting '\(key)' must be from \(range.lowerBound) to \(range.upperBound), got \(value)"
            )
        }
        return value
    }
}
