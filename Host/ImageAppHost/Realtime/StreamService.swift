import Logging
import ServiceLifecycle

/// Closes every open stream when graceful shutdown begins. It is the last service of the group, so the first to hear
/// of shutdown: the streams end (their responses finish cleanly) before the HTTP server drains what is left, which it
/// would otherwise wait on until the shutdown timeout.
struct StreamService: Service {
    let hub: StreamHub
    let logger: Logger

    func run() async {
        try? await gracefulShutdown()
        hub.closeAll(reason: "shutdown")
        logger.info("streams closed for shutdown")
    }
}
