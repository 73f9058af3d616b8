import Dispatch
import Foundation
import Logging
import Metrics
import Synchronization

/// Sends `PUBLISH`es for ``StreamHub`` from one thread with its own Redis connection, so that publishing never blocks
/// the caller (an event loop, a worker, the subscriber thread): callers queue, the thread sends everything queued in
/// one pipelined round trip. The queue is bounded; a full queue refuses (the caller gets IA_ERR_UNAVAILABLE). Messages
/// in a batch that fails are dropped and counted (pub/sub is at most once anyway); the connection is reopened with
/// backoff.
final class ChannelPublisher: Sendable {
    static let queueLimit = 100_000

    private let url: RedisURL
    private let logger: Logger
    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)

    private struct State {
        var queue: [[[UInt8]]] = []
        var started = false
        var stopping = false
        var waiting = false
    }

    init(url: RedisURL, logger: Logger) {
        self.url = url
        self.logger = logger
    }

    /// Queues one PUBLISH; false when the queue is full or the publisher stopped.
    func enqueue(channel: [UInt8], payload: [UInt8]) -> Bool {
        let (accepted, start, signal) = state.withLock { state -> (Bool, Bool, Bool) in
            guard !state.stopping, state.queue.count < Self.queueLimit else { return (false, false, false) }
            state.queue.append([Array("PUBLISH".utf8), channel, payload])
            let start = !state.started
            state.started = true
            let signal = state.waiting
            state.waiting = false
            return (true, start, signal)
        }
        if start {
            let thread = Thread { [self] in run() }
            thread.name = "redis-publisher"
            thread.start()
        } else if signal {
            wake.signal()
        }
        return accepted
    }

    /// Stops the thread after it sent what is queued (blocking).
    func stop() {
        let running = state.withLock { state in
            state.stopping = true
            return state.started
        }
        guard running else { return }
        wake.signal()
        finished.wait()
    }

    private func run() {
        var connection: RedisConnection?
        var backoff = Duration.milliseconds(100)
        while true {
            let (batch, stopping) = state.withLock { state in
                defer { state.queue.removeAll(keepingCapacity: true) }
                if state.queue.isEmpty && !state.stopping { state.waiting = true }
                return (state.queue, state.stopping)
            }
            if batch.isEmpty {
                if stopping { break }
                wake.wait()
                continue
            }
            do {
                let live = try connection ?? RedisConnection(url: url, clientName: "image-app-publisher")
                connection = live
                _ = try live.pipeline(batch)
                backoff = .milliseconds(100)
            } catch {
                connection = nil
                Counter.publishFailures.increment(by: batch.count)
                logger.warning("cannot publish to Redis; messages dropped", metadata: ["count": "\(batch.count)", "error": "\(error)"])
                if stopping { break }
                Thread.sleep(forTimeInterval: Double(backoff.components.seconds) + Double(backoff.components.attoseconds) / 1e18)
                backoff = min(backoff * 2, .seconds(5))
            }
        }
        finished.signal()
    }
}
