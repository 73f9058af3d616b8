import ImageAppPlugin

/// The plugin's Prometheus metrics (served at `GET /metrics` with the host's).
struct RateLimitMetrics: Sendable {
    let allowed: Metric
    let limited: Metric
    let failOpen: Metric

    init(host: PluginHost) throws {
        let decisions = "Requests checked by the rate limiter, by decision."
        allowed = try host.registerMetric(.counter, name: "imageapp_ratelimit_requests_total", help: decisions, labels: ["decision": "allowed"])
        limited = try host.registerMetric(.counter, name: "imageapp_ratelimit_requests_total", help: decisions, labels: ["decision": "limited"])
        failOpen = try host.registerMetric(
            .counter,
            name: "imageapp_ratelimit_fail_open_total",
            help: "Requests let through unchecked because Redis did not answer."
        )
    }
}
