import ImageAppPlugin
import PluginSupport

/// ratelimit: request limits shared by every instance, in front of every plugin route.
///
/// One middleware (order 250: after `auth`'s 200, so signed-in callers are counted per account, before any handler)
/// checks the caller's budget with one Redis script call, without a worker thread: it queues the script
/// (`PluginHost.runScript`, ABI 1.11) and answers `pending`; the reply resumes the request on the host's Redis thread.
/// Within budget, the response carries `RateLimit-Limit`, `-Remaining`, `-Reset` and `-Policy`; beyond it, 429
/// `rate_limited` with `Retry-After` too. Routes choose a class in their metadata: `rate_limit = "uploads"` adds the
/// upload budget, `rate_limit = "none"` exempts the route. The host's own routes (`/healthz`, `/readyz`, `/metrics`,
/// the OpenAPI document) never pass through middleware. When Redis does not answer, requests go through (fail open)
/// and `imageapp_ratelimit_fail_open_total` counts them: an outage of the limiter must not become an outage of the
/// site.
struct RateLimitPlugin: Sendable {
    let host: PluginHost
    let settings: RateLimitSettings
    let script: RedisScript
    let metrics: RateLimitMetrics

    static func initialize(_ registrar: PluginRegistrar) throws {
        let host = registrar.host
        let script: RedisScript
        do {
            script = try host.registerRedisScript(GCRA.script)
        } catch  where error.status == .unavailable {
            // A limiter that could never count would let everything through in silence: refuse to load instead.
            throw PluginError(status: .unavailable, message: "the rate limiter keeps its counts in Redis: set host.redis_url")
        }
        let plugin = RateLimitPlugin(
            host: host,
            settings: try RateLimitSettings(host: host),
            script: script,
            metrics: try RateLimitMetrics(host: host)
        )
        try plugin.registerMiddleware(registrar)
    }
}
