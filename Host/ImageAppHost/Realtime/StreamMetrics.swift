import Metrics
import Synchronization

/// Stream metrics: `imageapp_streams_open{kind}`, `imageapp_stream_messages_sent_total{kind}`,
/// `imageapp_stream_messages_dropped_total{kind}` (queued when a stream was cut) and
/// `imageapp_stream_slow_consumer_disconnects_total{kind}`.
final class StreamMetrics: Sendable {
    private let open = Gauge(label: "imageapp_streams_open", dimensions: [("kind", "sse")])
    private let openCount = Atomic<Int>(0)
    private let sentCounter = Counter(label: "imageapp_stream_messages_sent_total", dimensions: [("kind", "sse")])
    private let droppedCounter = Counter(label: "imageapp_stream_messages_dropped_total", dimensions: [("kind", "sse")])
    private let slowCounter = Counter(label: "imageapp_stream_slow_consumer_disconnects_total", dimensions: [("kind", "sse")])

    func opened(_ kind: ClientStream.Kind) {
        open.record(openCount.wrappingAdd(1, ordering: .relaxed).newValue)
    }

    func closed(_ kind: ClientStream.Kind) {
        open.record(openCount.wrappingSubtract(1, ordering: .relaxed).newValue)
    }

    func sent(_ kind: ClientStream.Kind) { sentCounter.increment() }

    func dropped(_ kind: ClientStream.Kind, _ count: Int) {
        if count > 0 { droppedCounter.increment(by: count) }
    }

    func slowConsumer(_ kind: ClientStream.Kind) { slowCounter.increment() }
}

extension Counter {
    /// Channel messages the publisher could not send to Redis.
    static let publishFailures = Counter(label: "imageapp_channel_publish_failures_total")
}
