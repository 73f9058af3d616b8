import Metrics
import Synchronization

/// Per-route request counts and latency, through swift-metrics (backed by Prometheus).
final class HTTPMetrics: Sendable {
    private struct Key: Hashable {
        let method: String
        let route: String
        let status: Int
    }

    private let counters = Mutex<[Key: Counter]>([:])
    private let timers = Mutex<[Key: Timer]>([:])

    /// Records one finished request.
    func record(method: String, route: String, status: Int, duration: Duration) {
        let key = Key(method: method, route: route, status: status)
        let counter = counters.withLock { cache in
            if let existing = cache[key] { return existing }
            let made = Counter(
                label: "http_requests_total",
                dimensions: [("method", method), ("route", route), ("status", String(status))]
            )
            cache[key] = made
            return made
        }
        counter.increment()
        let timerKey = Key(method: method, route: route, status: 0)
        let timer = timers.withLock { cache in
            if let existing = cache[timerKey] { return existing }
            let made = Timer(label: "http_request_duration_seconds", dimensions: [("method", method), ("route", route)])
            cache[timerKey] = made
            return made
        }
        timer.record(duration: duration)
    }
}
