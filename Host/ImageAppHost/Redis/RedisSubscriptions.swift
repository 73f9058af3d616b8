import CImageAppPlugin
import Logging
import Metrics
import Synchronization

/// Plugins' pub/sub subscriptions, served by one host `RedisSubscriber` per process.
///
/// ``epoch`` (the subscriber's, see ``RedisSubscriber/epoch``) tells whoever keeps copies that
/// messages invalidate (the near cache, plugins through `redis_subscription_epoch`) when
/// messages may have been missed; observers hear each change.
final class RedisSubscriptions: Sendable {
    /// `@unchecked Sendable`: the handler and user data are the plugin's, which the ABI requires
    /// to be callable from any thread for the life of the process.
    struct Subscription: @unchecked Sendable {
        let channel: String
        let isPattern: Bool
        let handler: ia_message_fn
        let userData: UnsafeMutableRawPointer?
    }

    private let subscriptions = Mutex<[Subscription]>([])
    private let subscriber = Mutex<RedisSubscriber?>(nil)
    private let currentEpoch = Atomic<UInt64>(0)
    private let epochObservers = Mutex<[@Sendable (UInt64) -> Void]>([])

    /// 0 while messages may be missed (no subscriber, not connected, or not subscribed yet); else
    /// the subscriber's connection number, which changes after any gap.
    var epoch: UInt64 { currentEpoch.load(ordering: .acquiring) }

    /// Calls `observer` with each new ``epoch`` (on the subscriber's thread).
    func observeEpoch(_ observer: @escaping @Sendable (UInt64) -> Void) {
        epochObservers.withLock { $0.append(observer) }
    }

    func add(_ subscription: Subscription) {
        subscriptions.withLock { $0.append(subscription) }
        // Once running, new subscriptions go to the live subscriber at once.
        subscriber.withLock { live in
            if subscription.isPattern { live?.subscribe(patterns: [subscription.channel]) } else { live?.subscribe([subscription.channel]) }
        }
    }

    /// Starts the subscriber thread if anything is subscribed (once), and waits up to `timeout` for its first
    /// ``epoch``. Whether it came (or nothing is subscribed).
    func startAndWait(url: RedisURL, clientName: String, logger: Logger, timeout: Duration) async -> Bool {
        start(url: url, clientName: clientName, logger: logger)
        guard subscriber.withLock({ $0 != nil }) else { return true }
        let deadline = ContinuousClock.now + timeout
        while epoch == 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
        return epoch != 0
    }

    /// Starts the subscriber thread if anything is subscribed; does nothing once started. `clientName` is what
    /// `CLIENT LIST` shows for its connection.
    func start(url: RedisURL, clientName: String, logger: Logger) {
        let all = subscriptions.withLock { $0 }
        guard !all.isEmpty, subscriber.withLock({ $0 == nil }) else { return }
        let made = RedisSubscriber(
            url: url,
            clientName: clientName,
            logger: logger,
            epochChanged: { [self] epoch in
                let previous = currentEpoch.exchange(epoch, ordering: .acquiringAndReleasing)
                Gauge(label: "imageapp_pubsub_subscribed").record(epoch == 0 ? 0 : 1)
                // Every gap after the first connection: copies kept in memory were all dropped.
                if epoch == 0, previous != 0 { Counter(label: "imageapp_pubsub_gaps_total").increment() }
                for observer in epochObservers.withLock({ $0 }) { observer(epoch) }
            },
            handler: { [self] message in deliver(message) }
        )
        made.subscribe(Array(Set(all.filter { !$0.isPattern }.map(\.channel))))
        made.subscribe(patterns: Array(Set(all.filter(\.isPattern).map(\.channel))))
        made.start()
        subscriber.withLock { $0 = made }
    }

    func stop() {
        let live = subscriber.withLock { live -> RedisSubscriber? in
            defer { live = nil }
            return live
        }
        live?.stop()
    }

    private func deliver(_ message: RedisSubscriber.Message) {
        let matching = subscriptions.withLock { all in
            all.filter { subscription in
                if let pattern = message.pattern { return subscription.isPattern && subscription.channel == pattern }
                return !subscription.isPattern && subscription.channel == message.channel
            }
        }
        guard !matching.isEmpty else { return }
        CString.withView(message.channel) { channel in
            message.payload.withUnsafeBufferPointer { bytes in
                let payload = ia_str(data: UnsafeRawPointer(bytes.baseAddress)?.assumingMemoryBound(to: CChar.self), len: bytes.count)
                for subscription in matching { subscription.handler(subscription.userData, channel, payload) }
            }
        }
    }
}
