import Logging
import ServiceLifecycle

/// Plugins' pub/sub subscriptions (``RedisSubscriptions``) as a `Service` that stops them.
///
/// `ImageAppRuntime.serve` starts the subscriber, and waits for it, before the port opens. The
/// subscriber has its own thread, waiting in `poll` on its socket and a wake-up pipe; on
/// graceful shutdown this writes to the pipe (``RedisSubscriber/stop()``) and waits for the
/// thread off the cooperative pool. It is the first service of the group, so the last stopped:
/// cache invalidations keep arriving while everything after it drains.
struct SubscriptionService: Service {
    let subscriptions: RedisSubscriptions
    let logger: Logger

    func run() async {
        // Returns on graceful shutdown, or throws on cancellation: either way, stop.
        try? await gracefulShutdown()
        await BlockingLoop.perform(name: "image-app subscriber stop") { [subscriptions] in subscriptions.stop() }
        logger.info("Redis subscriber stopped")
    }
}
