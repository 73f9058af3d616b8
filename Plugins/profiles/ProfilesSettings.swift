import ImageAppPlugin
import PluginSupport

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
/// | `count_queries` | `["posts.profile_counts", "follows.profile_counts"]` | queries whose integers fill `counts` |
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
    /// Queries dispatched with `{"user_id"}` for a profile's `counts`, in order (later ones win a shared key).
    var countQueries: [String]
    /// Prefix of the plugin's own Redis keys.
    var redisPrefix: String

    /// The body limit of `PUT /api/v1/me/avatar`.
    var avatarBodyLimit: UInt64 {
        UInt64(avatarMaxBytes + Self.multipartOverheadBytes)
    }

    /// Reads the settings from the host.
    ///
    /// - Throws: ``PluginError`` naming the setting and what is wrong with it, so that the host refuses to load the
    ///   plugin with that sentence.
    init(host: PluginHost) throws(PluginError) {
        let maxBytes = try host.intSetting("avatar_max_bytes") ?? Self.defaultAvatarMaxBytes
        guard (1...Self.avatarMaxBytesLimit).contains(maxBytes) else {
            throw PluginError(
                status: .invalidArgument,
                message: "setting 'avatar_max_bytes' must be from 1 to \(Self.avatarMaxBytesLimit), got \(maxBytes)"
            )
        }
        avatarMaxBytes = maxBytes
        redisPrefix = try host.setting("redis_prefix") ?? "profiles"

        countQueries = try QueryNameList.setting("count_queries", host: host, defaults: Self.defaultCountQueries)
        host.warnAboutUnknownSettings(known: Self.knownKeys)
    }

    /// Keys of the section this plugin reads.
    private static let knownKeys: Set<String> = ["avatar_max_bytes", "count_queries", "redis_prefix"]
}
