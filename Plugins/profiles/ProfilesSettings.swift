import ImageAppPlugin
import ImageProcessing
import PluginSupport
import ProfilesContract

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The `[plugins.profiles]` settings, read and checked once in `initialize`.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `avatar_max_bytes` | `8388608` (8 MiB) | the largest avatar file accepted, 1 byte to 64 MiB |
/// | `avatar_size` | `400` | side of the large square (`avatar_url`), 16 to 2048 |
/// | `avatar_small_size` | `96` | side of the small square (`avatar_small_url`), 16 to `avatar_size` |
/// | `avatar_max_pixels`, `avatar_max_side` | `33177600`, `10000` | media's limits, from the header |
/// | `avatar_concurrency`, `avatar_queue_length`, `avatar_retry_after_seconds` | CPU cores, `2 ×` that, `2` | the pool |
/// | `count_queries` | `["posts.profile_counts", "follows.profile_counts"]` | queries whose integers fill `counts` |
/// | `relationship_query` | `"follows.relationship"` | the query whose `{"following", "followed_by"}` a signed-in viewer sees |
///
/// The sizes suit an Instagram-like UI: a profile header shows the avatar at up to about 150 CSS pixels (400 covers
/// 2.5× screens), feeds and comments at 32 (96 covers 3×). The `avatar_` limits and pool settings are media's
/// (``ImageIntakeSettings``) with the prefix; avatars have a pool of their own.
///
/// From the environment, `IMAGEAPP_PLUGIN_PROFILES__COUNT_QUERIES` is a comma-separated list (empty for none).
struct ProfilesSettings: Sendable {
    /// The default of `avatar_max_bytes`.
    static let defaultAvatarMaxBytes = 8 * 1024 * 1024
    /// The largest `avatar_max_bytes` allowed: the whole upload is held in memory while it is checked.
    static let avatarMaxBytesLimit = 64 * 1024 * 1024
    /// The default of `count_queries`: the plugins expected to own posts and follows.
    static let defaultCountQueries = ["posts.profile_counts", "follows.profile_counts"]
    /// Room for the multipart framing around the avatar (boundaries, part headers, small extra fields), added to
    /// `avatar_max_bytes` for the route's body limit.
    static let multipartOverheadBytes = 64 * 1024

    /// The largest avatar file accepted, in bytes.
    var avatarMaxBytes: Int
    /// How avatars are made: WebP squares of `avatar_size` and `avatar_small_size`, cut from the centre.
    var avatarProcessing = ProcessingOptions(largeSize: 400, smallSize: 96, cropSquare: true)
    /// The limits an avatar is held to, and the processing pool's size.
    var avatarIntake: ImageIntakeSettings
    /// Queries dispatched with `{"user_id"}` for a profile's `counts`, in order (later ones win a shared key).
    var countQueries: [String]
    /// The query that adds `relationship` to a profile for a signed-in viewer; `nil` for none.
    var relationshipQuery: String?
    /// Prefix of the plugin's own Redis keys.
    var redisPrefix: String
    /// How often the job that processes avatars stored before processing runs.
    var legacyAvatarIntervalMilliseconds = 60_000

    /// The body limit of `PUT /api/v1/me/avatar`.
    var avatarBodyLimit: UInt64 {
        UInt64(avatarMaxBytes + Self.multipartOverheadBytes)
    }

    /// Reads the settings from the host.
    ///
    /// - Throws: ``PluginError`` naming the setting and what is wrong with it, so that the host refuses to load the
    ///   plugin with that sentence.
    init(host: PluginHost) throws(PluginError) {
        avatarMaxBytes = try host.intSetting("avatar_max_bytes", in: 1...Self.avatarMaxBytesLimit) ?? Self.defaultAvatarMaxBytes
        avatarProcessing.largeSize = try host.intSetting("avatar_size", in: 16...2048) ?? avatarProcessing.largeSize
        let small = try host.intSetting("avatar_small_size", in: 16...avatarProcessing.largeSize)
        avatarProcessing.smallSize = small ?? min(avatarProcessing.smallSize, avatarProcessing.largeSize)
        avatarIntake = try ImageIntakeSettings(host: host, prefix: "avatar_")
        redisPrefix = try host.setting("redis_prefix") ?? "profiles"
        legacyAvatarIntervalMilliseconds = try host.intSetting("legacy_avatar_interval_ms", in: 100...86_400_000) ?? legacyAvatarIntervalMilliseconds

        countQueries = try QueryNameList.setting("count_queries", host: host, defaults: Self.defaultCountQueries)
        relationshipQuery = try QueryNameList.setting("relationship_query", host: host, defaults: [ProfilesCollaboration.relationshipQuery]).first
        host.warnAboutUnknownSettings(known: Self.knownKeys)
    }

    /// Keys of the section this plugin reads.
    private static let knownKeys: Set<String> = ImageIntakeSettings.keys(prefix: "avatar_").union([
        "avatar_max_bytes", "avatar_size", "avatar_small_size", "count_queries", "relationship_query", "redis_prefix", "legacy_avatar_interval_ms",
    ])
}
