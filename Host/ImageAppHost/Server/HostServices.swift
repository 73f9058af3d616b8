import Logging
import NIOCore
import NIOPosix

/// The shared services the host owns for plugins: PostgreSQL and Redis, plus a small
/// thread pool for the host's own blocking work such as readiness checks.
final class HostServices: Sendable {
    /// The PostgreSQL pool, when `host.database_url` is set.
    let database: PostgresPool?
    /// A pool for queries on a read replica, when `host.database_read_url` is set.
    let readDatabase: PostgresPool?
    /// The Redis pool, when `host.redis_url` is set.
    let redis: RedisPool?
    /// The tag-invalidated cache on Redis.
    let cache: RedisCache?
    /// Redis commands that do not block their caller (ABI 1.11), on a connection and thread of their own.
    let redisPipeline: RedisPipeline?
    /// Long-lived streams and their channels (ABI 1.12).
    let streams: StreamHub
    private let blocking: NIOThreadPool
    private let logger: Logger

    init(settings: HostSettings, logger: Logger) {
        self.logger = logger
        self.database = settings.databaseURL.map { PostgresPool(url: $0, size: settings.databasePoolSize, logger: logger) }
        self.readDatabase = settings.databaseReadURL.map { PostgresPool(url: $0, size: settings.databasePoolSize, logger: logger) }
        // The URL was validated with the configuration.
        self.redis = settings.redisURL.flatMap { try? RedisURL($0) }.map {
            RedisPool(url: $0, maxConnections: settings.redisPoolSize, clientName: "image-app", logger: logger)
        }
        let near = NearCache(
            channel: settings.redisNamespace + ":cache:invalidated",
            ttl: .milliseconds(settings.cacheLocalTTLMilliseconds)
        )
        self.redisPipeline = settings.redisURL.flatMap { try? RedisURL($0) }.map {
            RedisPipeline(url: $0, timeout: .milliseconds(settings.redisAsyncTimeoutMilliseconds), logger: logger)
        }
        self.cache = redis.map { RedisCache(pool: $0, prefix: settings.redisNamespace + ":cache:", near: near) }
        self.streams = StreamHub(settings: settings, logger: logger)
        self.blocking = NIOThreadPool(numberOfThreads: 2)
    }

    func start() {
        blocking.start()
        redisPipeline?.start()
    }

    func stop() {
        database?.close()
        readDatabase?.close()
        streams.stop()
        redis?.close()
        redisPipeline?.stop()
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
        if let redis {
            checks["redis"] = await runBlocking {
                do {
                    let reply = try redis.withConnection { try $0.command("PING") }
                    return reply == .status("PONG") ? "ok" : "unexpected answer"
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
