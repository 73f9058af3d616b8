import Metrics
import Synchronization

/// Stream metrics, each labelled with the stream's `kind` (`sse`, `websocket`): `imageapp_streams_open{kind}`,
/// `imageapp_stream_messages_sent_total{kind}`, `imageapp_stream_messages_dropped_total{kind}` (queued when a stream
/// was cut) and `imageapp_stream_slow_consumer_disconnects_total{kind}`.
final class StreamMetrics: Sendable {
    /// One kind's series.
    private final class Series: Sendable {
        let open: Gauge
        let openCount = Atomic<Int>(0)
        let sent: Counter
        let dropped: Counter
        let slow: Counter

        init(_ kind: ClientStream.Kind) {
            let dimensions = [("kind", kind.rawValue)]
            open = Gauge(label: "imageapp_streams_open", dimensions: dimensions)
            sent = Counter(label: "imageapp_stream_messages_sent_total", dimensions: dimensions)
            dropped = Counter(label: "imageapp_stream_messages_dropped_total", dimensions: dimensions)
            slow = Counter(label: "imageapp_stream_slow_consumer_disconnects_total", dimensions: dimensions)
            open.record(0)
        }
    }

    private let serverSentEvents = Series(.serverSentEvents)
    private let webSocket = Series(.webSocket)

    private func series(_ kind: ClientStream.Kind) -> Series {
        switch kind {
        case .serverSentEvents: serverSentEvents
        case .webSocket: webSocket
        }
    }

    func opened(_ kind: ClientStream.Kind) {
        let series = series(kind)
        series.open.record(series.openCount.wrappingAdd(1, ordering: .relaxed).newValue)
    }

    func closed(_ kind: ClientStream.Kind) {
        let series = series(kind)
        series.open.record(series.openCount.wrappingSubtract(1, ordering: .relaxed).newValue)
    }

    func sent(_ kind: ClientStream.Kind) { series(kind).sent.increment() }

    func dropped(_ kind: ClientStream.Kind, _ count: Int) {
        if count > 0 { series(kind).dropped.increment(by: count) }
    }

    func slowConsumer(_ kind: ClientStream.Kind) { series(kind).slow.increment() }
}

extension Counter {
    /// Channel messages the publisher could not send to Redis.
    static let publishFailures = Counter(label: "imageapp_channel_publish_failures_total")
}
