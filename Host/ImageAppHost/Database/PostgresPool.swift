public import Logging

/// A bounded pool of PostgreSQL connections for blocking callers (worker threads).
///
/// At most ``size`` connections are leased at once; idle ones are kept for reuse. A connection that turns out
/// broken — the server restarted, or killed the backend — is dropped and a new one is opened, so the pool recovers
/// on its own (see ``BlockingPool``).
public final class PostgresPool: Sendable {
    /// Connection settings.
    public let url: String
    /// Most connections open at once.
    public let size: Int
    private let pool: BlockingPool<PostgresConnection, PostgresError>

    public init(url: String, size: Int, logger: Logger) {
        self.url = url
        self.size = size
        self.pool = BlockingPool(
            capacity: size,
            leaseTimeout: .seconds(10),
            driver: .init(
                open: { () throws(PostgresError) in try PostgresConnection(url: url) },
                isReusable: { !$0.isBroken },
                isBroken: { $0.isBroken },
                exhausted: { _, waited in
                    PostgresError(kind: .poolExhausted, message: "no database connection became free within \(waited)")
                },
                closed: { PostgresError(kind: .connection, message: "the database pool is closed") },
                dropped: { connection, reason in
                    logger.warning("dropping a database connection: \(reason)", metadata: ["backend_pid": "\(connection.backendPID)"])
                }
            )
        )
    }

    /// Connections currently leased.
    public var inUse: Int { pool.inUse }
    /// Connections open and waiting.
    public var idleCount: Int { pool.idleCount }

    /// Leases a connection for `body` (blocking up to `timeout` for a free one).
    public func withConnection<T>(
        timeout: Duration = .seconds(10),
        _ body: (PostgresConnection) throws -> T
    ) throws -> T {
        try pool.withConnection(timeout: timeout, body)
    }

    /// Leases a connection until ``release(_:)``: for a lease that starts later than the code that ends it (a query's
    /// session opens on its first statement).
    func lease(timeout: Duration = .seconds(10)) throws(PostgresError) -> PostgresConnection {
        try pool.lease(timeout: timeout)
    }

    /// Gives back a connection from ``lease(timeout:)``.
    func release(_ connection: PostgresConnection) {
        // Statements still deferred mean a session ended without ending its transaction: never hand that on.
        if !connection.deferred.isEmpty { connection.rollback() }
        pool.release(connection)
    }

    /// Closes idle connections (at shutdown) and refuses new leases.
    public func close() {
        pool.close()
    }
}
