import ImageAppPlugin
import PluginSupport

/// The `[plugins.likes]` settings, read and checked once in `initialize`.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `flush_interval_ms` | `2000` | how often a worker writes the counters' changes to PostgreSQL |
/// | `redis_prefix` | `"likes"` | the plugin's Redis keys |
struct LikesSettings: Sendable {
    var flushIntervalMilliseconds = 2_000
    var redisPrefix = "likes"

    init(host: PluginHost) throws(PluginError) {
        if let interval = try host.intSetting("flush_interval_ms") {
            guard (100...3_600_000).contains(interval) else {
                throw PluginError(status: .invalidArgument, message: "setting 'flush_interval_ms' must be from 100 to 3600000, got \(interval)")
            }
            flushIntervalMilliseconds = interval
        }
        redisPrefix = try host.setting("redis_prefix") ?? "likes"
        host.warnAboutUnknownSettings(known: ["flush_interval_ms", "redis_prefix"])
    }
}
