import ImageAppPlugin
import PluginSupport

/// The `[plugins.ratelimit]` settings, read and checked once in `initialize`.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `anonymous_limit` / `anonymous_window_seconds` | `300` / `300` | requests per client address (IPv6 by `ipv6_prefix`) without a session |
/// | `user_limit` / `user_window_seconds` | `1500` / `300` | requests per signed-in user |
/// | `uploads_limit` / `uploads_window_seconds` | `30` / `1800` | requests to routes whose metadata says `rate_limit = uploads`, per user (or address), on top of the above |
/// | `ipv6_prefix` | `64` | how many leading bits of an IPv6 address make one client |
/// | `redis_prefix` | `"ratelimit"` | start of the plugin's Redis keys |
struct RateLimitSettings: Sendable {
    var anonymous: RateLimit
    var user: RateLimit
    var uploads: RateLimit
    var ipv6Prefix: Int
    var redisPrefix: String

    init(host: PluginHost) throws(PluginError) {
        anonymous = try Self.limit(host, "anonymous", limit: 300, window: 300)
        user = try Self.limit(host, "user", limit: 1_500, window: 300)
        uploads = try Self.limit(host, "uploads", limit: 30, window: 1_800)
        ipv6Prefix = try host.intSetting("ipv6_prefix") ?? 64
        guard (16...128).contains(ipv6Prefix) else {
            throw PluginError(status: .invalidArgument, message: "setting 'ipv6_prefix' must be from 16 to 128, got \(ipv6Prefix)")
        }
        redisPrefix = try host.setting("redis_prefix") ?? "ratelimit"
        guard !redisPrefix.isEmpty else { throw PluginError(status: .invalidArgument, message: "setting 'redis_prefix' must not be empty") }
    }

    private static func limit(_ host: PluginHost, _ name: String, limit: Int, window: Int) throws(PluginError) -> RateLimit {
        let count = try host.intSetting("\(name)_limit") ?? limit
        let seconds = try host.intSetting("\(name)_window_seconds") ?? window
        guard (1...10_000_000).contains(count) else {
            throw PluginError(status: .invalidArgument, message: "setting '\(name)_limit' must be from 1 to 10000000, got \(count)")
        }
        guard (1...86_400 * 7).contains(seconds) else {
            throw PluginError(status: .invalidArgument, message: "setting '\(name)_window_seconds' must be from 1 to 604800, got \(seconds)")
        }
        return RateLimit(name: name, limit: count, windowSeconds: seconds)
    }
}
