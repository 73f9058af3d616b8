import Dispatch
public import Logging
import Synchronization

/// A bounded pool of PostgreSQL connections for blocking callers (worker threads).
///
/// A semaphore bounds how many connections are leased at once; idle ones are kept for reuse.
/// A leased connection that turns out broken — the server restarted, or killed the backend —
/// is dropped and a new one is opened, so the pool recovers on its own.
public final class PostgresPool: Sendable {
    /// Connection settings.
    public let url: String
    /// Most connections open at once.
    public let size: Int
    private let logger: Logger
    private let slots: DispatchSemaphore
    private let idle = Mutex<[PostgresConnection]>([])
    private let leased = Atomic<Int>(0)

    public init(url: String, size: Int, logger: Logger) {
        self.url = url
        self.size = size
        self.logger = logger
        self.slots = DispatchSemaphore(value: size)
    }

    /// Connections currently leased.
    public var inUse: Int { leased.load(ordering: .relaxed) }
    /// Connections open and waiting.
    public var idleCount: Int { idle.withLock { $0.count } }

    /// Leases a connection for `body` (blocking up to `timeout` for a free one).
    public func withConnection<T>(
        timeout: Duration = .seconds(10),
        _ body: (PostgresConnection) throws -> T
    ) throws -> T {
        let deadline = DispatchTime.now() + .nanoseconds(Int(timeout.components.seconds) * 1_000_000_000 + Int(timeout.components.attoseconds / 1_000_000_000))
        guard slots.wait(timeout: deadline) == .success else {
            throw PostgresError(kind: .poolExhausted, message: "no database connection became free within \(timeout)")
        }
        leased.add(1, ordering: .relaxed)
        defer {
            leased.subtract(1, ordering: .relaxed)
            slots.signal()
        }
        let connection = try lease()
        do {
            let result = try body(connection)
            giveBack(connection)
            return result
        } catch {
            giveBack(connection)
            throw error
        }
    }

    /// Closes idle connections (at shutdown).
    public func close() {
        idle.withLock { $0.removeAll() }
    }

    private func lease() throws(PostgresError) -> PostgresConnection {
        while let candidate = idle.withLock({ $0.popLast() }) {
            if !candidate.isBroken { return candidate }
            logger.warning("dropping a broken database connection", metadata: ["backend_pid": "\(candidate.backendPID)"])
        }
        return try PostgresConnection(url: url)
    }

    private func giveBack(_ connection: PostgresConnection) {
        guard !connection.isBroken else { return }
        idle.withLock { $0.append(connection) }
    }
}
