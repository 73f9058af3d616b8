import Dispatch
import Synchronization

/// A bounded pool of blocking connections (PostgreSQL, Redis), opened on demand and reused.
///
/// At most `capacity` connections are leased at once: a counting semaphore is exactly "at most N holders, wait with
/// a timeout", and it wakes waiters in FIFO order. The mutex guards only the idle list and counters, so it is never
/// held while blocking or doing I/O. An idle connection that died meanwhile (`isReusable` false) is dropped before it
/// is handed out, and one that broke during a lease (`isBroken`) when it comes back, so callers get a fresh
/// connection rather than an error.
///
/// Blocking waits: callers are worker threads, never event loops or the cooperative pool.
final class BlockingPool<Connection: Sendable, Failure: Error>: Sendable {
    /// How a pool reaches its connections.
    struct Driver: Sendable {
        /// Opens a new connection.
        var open: @Sendable () throws(Failure) -> Connection
        /// Whether an idle connection may be handed out (the server may have closed it while it sat idle).
        var isReusable: @Sendable (Connection) -> Bool
        /// Whether a connection coming back from a lease broke during it.
        var isBroken: @Sendable (Connection) -> Bool
        /// The error for "every connection stayed busy for the lease timeout".
        var exhausted: @Sendable (_ capacity: Int, _ waited: Duration) -> Failure
        /// The error for a lease after ``close()``.
        var closed: @Sendable () -> Failure
        /// Told about each dropped connection and why, for logs.
        var dropped: @Sendable (Connection, _ reason: String) -> Void
    }

    private struct State {
        var idle: [Connection] = []
        /// Leases holding a permit: connected, or being connected.
        var inUse = 0
        var created = 0
        var closed = false
    }

    let capacity: Int
    private let leaseTimeout: Duration
    private let driver: Driver
    private let permits: DispatchSemaphore
    private let state = Mutex(State())

    init(capacity: Int, leaseTimeout: Duration, driver: Driver) {
        precondition(capacity >= 1, "a pool needs at least one connection")
        self.capacity = capacity
        self.leaseTimeout = leaseTimeout
        self.driver = driver
        self.permits = DispatchSemaphore(value: capacity)
    }

    /// Connections currently leased (or being opened for a lease).
    var inUse: Int { state.withLock { $0.inUse } }
    /// Open connections waiting for a lease.
    var idleCount: Int { state.withLock { $0.idle.count } }
    /// Connections opened since the pool was created; a steady rise means connections keep breaking.
    var created: Int { state.withLock { $0.created } }

    /// Leases a connection for `body`, waiting up to `timeout` (default: the pool's lease timeout) for a free one.
    func withConnection<Result, BodyFailure: Error>(
        timeout: Duration? = nil,
        _ body: (Connection) throws(BodyFailure) -> Result
    ) throws -> Result {
        let connection = try lease(timeout: timeout ?? leaseTimeout)
        defer { release(connection) }
        return try body(connection)
    }

    /// ``withConnection(timeout:_:)`` for bodies that throw only the pool's own error type, keeping it.
    func withTypedConnection<Result>(
        timeout: Duration? = nil,
        _ body: (Connection) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let connection = try lease(timeout: timeout ?? leaseTimeout)
        defer { release(connection) }
        return try body(connection)
    }

    /// Closes idle connections and refuses new leases; leased connections close when they come back.
    func close() {
        state.withLock { state in
            state.closed = true
            state.idle.removeAll()
        }
    }

    /// Leases a connection until ``release(_:)``, waiting up to `timeout` for a free one; for leases that begin later
    /// than the code that ends them (``withConnection(timeout:_:)`` otherwise).
    func lease(timeout: Duration) throws(Failure) -> Connection {
        guard permits.wait(timeout: .now() + Self.dispatchInterval(timeout)) == .success else {
            throw driver.exhausted(capacity, timeout)
        }
        let closed = state.withLock { state in
            if !state.closed { state.inUse += 1 }
            return state.closed
        }
        if closed {
            permits.signal()
            throw driver.closed()
        }
        // Reuse the most recently returned connection that is still alive.
        while let connection = state.withLock({ $0.idle.popLast() }) {
            if driver.isReusable(connection) { return connection }
            driver.dropped(connection, "the server closed it while it was idle")
        }
        do {
            let connection = try driver.open()
            state.withLock { $0.created += 1 }
            return connection
        } catch {
            state.withLock { $0.inUse -= 1 }
            permits.signal()
            throw error
        }
    }

    /// Gives back a connection from ``lease(timeout:)``.
    func release(_ connection: Connection) {
        let broken = driver.isBroken(connection)
        if broken { driver.dropped(connection, "it broke during a lease") }
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
