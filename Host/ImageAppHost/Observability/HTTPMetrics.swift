import Metrics
import Synchronization

/// Per-route request counts and latency, and the requests being handled, through swift-metrics (backed by
/// Prometheus).
///
/// Handles are cached under an integer key (route ID, method, status), so the hot path hashes
/// one integer instead of building labels.
final class HTTPMetrics: Sendable {
    /// The route ID of requests that matched no route (one label for all, so scanners cannot
    /// explode the metric's cardinality).
    static let unmatched = 0

    private struct Handles {
        let counter: Counter
        let timer: Timer
    }

    private let cache = Mutex<[Int: Handles]>([:])
    /// Requests between routing and their answer (a scrape of `/metrics` counts itself); operators watch it drain
    /// during a graceful shutdown.
    private let inFlight = Atomic<Int>(0)
    private let inFlightGauge = Gauge(label: "http_requests_in_flight")
    /// Route patterns by route ID, for labels.
    private let labels: [Int: String]

    init(routeLabels: [Int: String]) {
        self.labels = routeLabels
    }

    /// Counts a request the host has started to handle; pair with ``finished()``.
    func started() {
        let now = inFlight.add(1, ordering: .relaxed).newValue
        inFlightGauge.record(now)
    }

    /// Counts a request the host has answered.
    func finished() {
        let now = inFlight.subtract(1, ordering: .relaxed).newValue
        inFlightGauge.record(now)
    }

    /// Records one finished request.
    func record(method: String, route: Int, status: Int, duration: Duration) {
        let key = route << 20 | (status & 0x3FF) << 4 | Self.methodCode(method)
        let handles = cache.withLock { cache in
            if let existing = cache[key] { return existing }
            let label = labels[route] ?? "unmatched"
            let timerKey = key & ~(0x3FF << 4)  // one latency histogram per route and method
            let timer =
                cache[timerKey]?.timer
                ?? Timer(label: "http_request_duration_seconds", dimensions: [("method", method), ("route", label)])
            let made = Handles(
                counter: Counter(
                    label: "http_requests_total",
                    dimensions: [("method", method), ("route", label), ("status", String(status))]
                ),
                timer: timer
            )
            cache[key] = made
            if cache[timerKey] == nil { cache[timerKey] = made }
            return made
        }
        handles.counter.increment()
        handles.timer.record(duration: duration)
    }

    private static func methodCode(_ method: String) -> Int {
        switch method {
        case "GET": 1
        case "HEAD": 2
        case "POST": 3
        case "PUT": 4
        case "PATCH": 5
        case "DELETE": 6
        case "OPTIONS": 7
        default: 8
        }
    }
}
