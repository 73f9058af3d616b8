import Dispatch
public import Logging
import Synchronization

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
    private let timeout: Duration
    private let leaseTimeout: Duration
    private let clientName: String?
    private let logger: Logger
    /// One permit per connection that may be leased. A counting semaphore is exactly "at most N
    /// holders, wait with a timeout", and it wakes waiters in FIFO order; the mutex only guards the
    /// idle list and counters, so it is never held while blocking or doing I/O.
    private let permits: DispatchSemaphore
    private let state = Mutex(State())

    private struct State {
        var idle: [RedisConnection] = []
        /// Leases holding a permit: connected, or being connected.
        var inUse = 0
        var created = 0
        var closed = false
    }

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
        self.timeout = timeout
        self.leaseTimeout = leaseTimeout
        self.clientName = clientName
        self.logger = logger
        self.permits = DispatchSemaphore(value: maxConnections)
    }

    /// Connections currently leased (or being opened for a lease).
    public var inUse: Int { state.withLock { $0.inUse } }
    /// Open connections waiting for a lease.
    public var idleCount: Int { state.withLock { $0.idle.count } }
    /// Connections opened since the pool was created; a steady rise means connections keep breaking.
    public var created: Int { state.withLock { $0.created } }

    /// Leases a connection for the duration of `body`.
    ///
    /// The connection goes back to the pool afterwards, or is dropped if it broke. Leave it as you
    /// found it: no open `MULTI`, no `SUBSCRIBE` (use ``RedisSubscriber``), no changed `SELECT`.
    ///
    /// - Returns: What `body` returns.
    /// - Throws: ``RedisError`` (``RedisError/Code/poolExhausted``, or a connection failure) when no
    ///   connection could be leased, otherwise whatever `body` throws.
    public func withConnection<Result>(_ body: (RedisConnection) throws -> Result) throws -> Result {
        let connection = try lease()
        defer { release(connection) }
        return try body(connection)
    }

    /// ``withConnection(_:)`` for bodies that throw only ``RedisError``, keeping the error type.
    func withRedisConnection<Result>(
        _ body: (RedisConnection) throws(RedisError) -> Result
    ) throws(RedisError) -> Result {
        let connection = try lease()
        defer { release(connection) }
        return try body(connection)
    }

    /// Closes idle connections and refuses new leases; leased connections close when they come back.
    public func close() {
        state.withLock { state in
            state.closed = true
            state.idle.removeAll()
        }
    }

    private func lease() throws(RedisError) -> RedisConnection {
        guard permits.wait(timeout: .now() + Self.dispatchInterval(leaseTimeout)) == .success else {
            throw RedisError(.poolExhausted, "all \(maxConnections) Redis connections stayed busy for \(leaseTimeout)")
        }
        let closed = state.withLock { state in
            if !state.closed { state.inUse += 1 }
            return state.closed
        }
        if closed {
            permits.signal()
            throw RedisError(.connection, "the Redis pool is closed")
        }
        // Reuse the most recently returned connection that is still alive.
        while let connection = state.withLock({ $0.idle.popLast() }) {
            if connection.isReusable { return connection }
            logger.debug("dropping idle Redis connection that the server closed", metadata: ["redis": "\(url)"])
        }
        do {
            let connection = try RedisConnection(url: url, timeout: timeout, clientName: clientName)
            state.withLock { $0.created += 1 }
            return connection
        } catch {
            state.withLock { $0.inUse -= 1 }
            permits.signal()
            throw error
        }
    }

    private func release(_ connection: RedisConnection) {
        let broken = connection.isBroken
        if broken {
            logger.debug("dropping broken Redis connection", metadata: ["redis": "\(url)"])
        }
        state.withLock { state in
            if !broken && !state.closed { state.idle.append(connection) }
            state.inUse -= 1
        }
        permits.signal()
    }

    private static func dispatchInterval(_ duration: Duration) -> DispatchTimeInterval {
        let (seconds, attoseconds) = duration.components
        return .microseconds(Int(clamping: seconds * 1_000_000 + attoseconds / 1_000_000_000_000))
    }
}
