import FollowsContract
import ImageAppPlugin
import PluginSupport

/// The `[plugins.follows]` settings, read and checked once in `initialize`.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `max_following` | `7500` | the most accounts one user may follow (Twitter's and Mastodon's figure) |
struct FollowsSettings: Sendable {
    var maxFollowing = FollowsLimits.maxFollowing

    init(host: PluginHost) throws(PluginError) {
        maxFollowing = try host.intSetting("max_following", in: 1...1_000_000) ?? maxFollowing
        host.warnAboutUnknownSettings(known: ["max_following"])
    }
}
