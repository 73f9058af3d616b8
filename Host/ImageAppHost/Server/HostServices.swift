import Logging
import NIOCore
import NIOPosix

/// The shared services the host owns for plugins: PostgreSQL (and, next, Redis), plus a small
/// thread pool for the host's own blocking work such as readiness checks.
final class HostServices: Sendable {
    /// The PostgreSQL pool, when `host.database_url` is set.
    let database: PostgresPool?
    private let blocking: NIOThreadPool
    private let logger: Logger

    init(settings: HostSettings, logger: Logger) {
        self.logger = logger
        self.database = settings.databaseURL.map { PostgresPool(url: $0, size: settings.databasePoolSize, logger: logger) }
        self.blocking = NIOThreadPool(numberOfThreads: 2)
    }

    func start() {
        blocking.start()
    }

    func stop() {
        database?.close()
        try? blocking.syncShutdownGracefully()
    }

    /// Each configured dependency: "ok", or what is wrong.
    func readiness() async -> [String: String] {
        var checks: [String: String] = [:]
        if let database {
            checks["postgres"] = await runBlocking {
                do {
                    let answer = try database.withConnection(timeout: .seconds(2)) { try $0.query("SELECT 1").int(0, 0) }
                    return answer == 1 ? "ok" : "unexpected answer"
                } catch {
                    return "unavailable: \(error)"
                }
            }
        }
        return checks
    }

    /// Runs blocking work off the event loops and the cooperative pool.
    func runBlocking<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
        await withCheckedContinuation { continuation in
            blocking.submit { _ in continuation.resume(returning: work()) }
        }
    }
}
