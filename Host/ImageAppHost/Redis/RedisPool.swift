public import Logging

/// A bounded pool of blocking Redis connections, opened on demand and reused.
///
/// At most ``maxConnections`` connections exist at once. A lease that finds them all busy blocks
/// its thread for up to the lease timeout, then fails with ``RedisError/Code/poolExhausted``.
/// A connection that broke during a lease is dropped when it comes back, and one that the server
/// closed while it sat idle (`CLIENT KILL`, a restart, `timeout`) is noticed and replaced before
/// it is handed out, so callers see a fresh connection rather than an error.
///
/// Blocking waits: callers are worker threads, never event loops or the cooperative pool.
public final class RedisPool: Sendable {
    /// The server every connection goes to.
    public let url: RedisURL
    /// The most connections open at once.
    public let maxConnections: Int
    private let pool: BlockingPool<RedisConnection, RedisError>

    /// Creates a pool; no connection is opened until the first lease.
    ///
    /// - Parameters:
    ///   - url: The server.
    ///   - maxConnections: The most connections open at once; at least 1.
    ///   - timeout: Limits connecting and each socket read and write of every connection.
    ///   - leaseTimeout: How long a lease waits for a free connection before failing.
    ///   - clientName: Given to every connection with `CLIENT SETNAME`, to find them in `CLIENT LIST`.
    ///   - logger: Receives a debug message whenever a connection is dropped.
    public init(
        url: RedisURL,
        maxConnections: Int = 8,
        timeout: Duration = .seconds(5),
        leaseTimeout: Duration = .seconds(5),
        clientName: String? = nil,
        logger: Logger = Logger(label: "image-app.redis")
    ) {
        precondition(maxConnections >= 1, "a Redis pool needs at least one connection")
        self.url = url
        self.maxConnections = maxConnections
        self.pool = BlockingPool(
            capacity: maxConnections,
            leaseTimeout: leaseTimeout,
            driver: .init(
                open: { () throws(RedisError) in try RedisConnection(url: url, timeout: timeout, clientName: clientName) },
                isReusable: { $0.isReusable },
                isBroken: { $0.isBroken },
                exhausted: { capacity, waited in
                    RedisError(.poolExhausted, "all \(capacity) Redis connections stayed busy for \(waited)")
                },
                closed: { RedisError(.connection, "the Redis pool is closed") },
                dropped: { _, reason in logger.debug("dropping a Redis connection: \(reason)", metadata: ["redis": "\(url)"]) }
            )
        )
    }

    /// Connections currently leased (or being opened for a lease).
    public var inUse: Int { pool.inUse }
    /// Open connections waiting for a lease.
    public var idleCount: Int { pool.idleCount }
    /// Connections opened since the pool was created; a steady rise means connections keep breaking.
    public var created: Int { pool.created }

    /// Leases a connection for the duration of `body`.
    ///
    /// The connection goes back to the pool afterwards, or is dropped if it broke. Leave it as you
    /// found it: no open `MULTI`, no `SUBSCRIBE` (use ``RedisSubscriber``), no changed `SELECT`.
    ///
    /// - Returns: What `body` returns.
    /// - Throws: ``RedisError`` (``RedisError/Code/poolExhausted``, or a connection failure) when no
    ///   connection could be leased, otherwise whatever `body` throws.
    public func withConnection<Result>(_ body: (RedisConnection) throws -> Result) throws -> Result {
        try pool.withConnection(body)
    }

    /// ``withConnection(_:)`` for bodies that throw only ``RedisError``, keeping the error type.
    func withRedisConnection<Result>(
        _ body: (RedisConnection) throws(RedisError) -> Result
    ) throws(RedisError) -> Result {
        try pool.withTypedConnection(body)
    }

    /// Closes idle connections and refuses new leases; leased connections close when they come back.
    public func close() {
        pool.close()
    }
}
