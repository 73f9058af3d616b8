/// A database session handed to plugins as `ia_db *`: a command's transaction or a query's connection.
///
/// A command's session holds its connection, in its transaction, from the start. A query's session opens on its first
/// statement (``init(depth:opening:)``): a query answered from caches — most reads of posts, profiles and counters — leases
/// no pooled connection and costs PostgreSQL nothing, not even a BEGIN and a COMMIT.
///
/// `@unchecked Sendable`: see ``CommandContext``.
final class DatabaseSession: @unchecked Sendable {
    /// Leases a connection and begins the session's transaction (or savepoint) on it.
    typealias Opener = () throws(PostgresError) -> PostgresConnection

    private var opener: Opener?
    /// The connection, once the session has one.
    private(set) var connection: PostgresConnection?
    /// The first statement that failed; the transaction cannot go on after it.
    var failure: PostgresError?
    /// How many handlers' sessions this one is nested in (0: a top-level handler's).
    let depth: Int

    /// A session on `connection`, already in its transaction; `nil` for a service command
    /// (`IA_COMMAND_NO_TRANSACTION`), which runs without a database: its statements are refused with `IA_ERR_STATE`.
    init(connection: PostgresConnection?) {
        self.connection = connection
        self.depth = 0
    }

    /// A session that calls `opener` on its first statement.
    init(depth: Int, opening opener: @escaping Opener) {
        self.depth = depth
        self.opener = opener
    }

    /// Whether statements may run (everything but a service command's session).
    var hasDatabase: Bool { connection != nil || opener != nil }

    /// The session's connection, opened now when it has none yet. A failure to open is the session's failure.
    func open() throws(PostgresError) -> PostgresConnection {
        if let connection { return connection }
        guard let opener else { throw PostgresError(kind: .connection, message: "this session has no database") }
        do {
            let connection = try opener()
            self.connection = connection
            self.opener = nil
            return connection
        } catch {
            failure = failure ?? error
            throw error
        }
    }

    static func from(_ handle: OpaquePointer?) -> DatabaseSession? {
        guard let handle else { return nil }
        return Unmanaged<DatabaseSession>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue()
    }

    var handle: OpaquePointer { OpaquePointer(Unmanaged.passUnretained(self).toOpaque()) }
}
