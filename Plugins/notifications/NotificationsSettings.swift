import ImageAppPlugin
import PluginSupport

/// The `[plugins.notifications]` settings, read and checked once in `initialize`.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `keep_days` | `90` | read notifications whose last activity is older than this are pruned |
/// | `prune_interval_seconds` | `3600` | how often a worker prunes |
struct NotificationsSettings: Sendable {
    var keepDays = 90
    var pruneIntervalSeconds = 3_600

    init(host: PluginHost) throws(PluginError) {
        keepDays = try host.intSetting("keep_days", in: 1...36_500) ?? keepDays
        pruneIntervalSeconds = try host.intSetting("prune_interval_seconds", in: 1...86_400) ?? pruneIntervalSeconds
        host.warnAboutUnknownSettings(known: ["keep_days", "prune_interval_seconds"])
    }
}
