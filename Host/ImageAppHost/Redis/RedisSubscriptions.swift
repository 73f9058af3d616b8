import CImageAppPlugin
import Logging
import Synchronization

/// Plugins' pub/sub subscriptions, served by one host `RedisSubscriber` per process.
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

    func add(_ subscription: Subscription) {
        subscriptions.withLock { $0.append(subscription) }
        // Once running, new subscriptions go to the live subscriber at once.
        subscriber.withLock { live in
            if subscription.isPattern { live?.subscribe(patterns: [subscription.channel]) } else { live?.subscribe([subscription.channel]) }
        }
    }

    /// Starts the subscriber thread if anything is subscribed.
    func start(url: RedisURL, logger: Logger) {
        let all = subscriptions.withLock { $0 }
        guard !all.isEmpty else { return }
        let made = RedisSubscriber(url: url, clientName: "image-app-subscriber", logger: logger) { [self] message in
            deliver(message)
        }
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
