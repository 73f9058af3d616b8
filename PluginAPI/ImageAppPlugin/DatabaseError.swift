/// A statement that failed, thrown by ``Database/execute(_:_:)``.
///
/// Inside a command, the transaction accepts no further statements after a failure: catch the error only to turn it
/// into a refusal (throw an ``HTTPError``, such as 409 for ``isConflict``), otherwise let it propagate. Thrown out of
/// a handler, it hands its ``status`` to the host, which retries the command when the failure was transient.
public struct DatabaseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// ``PluginStatus/database`` (the database refused the statement), ``PluginStatus/conflict`` (an integrity
    /// violation, SQLSTATE class 23, such as a unique key already taken) or ``PluginStatus/unavailable`` (the
    /// connection was lost); another status for a call the host refused outright.
    public var status: PluginStatus
    /// The SQLSTATE, such as `23505`; empty when the failure did not come from PostgreSQL.
    public var sqlState: String
    /// The host's sentence about the failure (for logs; do not send it to clients).
    public var message: String

    /// Creates a database error.
    public init(status: PluginStatus, sqlState: String = "", message: String) {
        self.status = status
        self.sqlState = sqlState
        self.message = message
    }

    /// Whether the statement broke an integrity constraint (SQLSTATE class 23), such as a unique key already taken:
    /// usually a refusal for the client rather than an error. ``sqlState`` tells which constraint kind (`23505`
    /// unique, `23503` foreign key, …).
    public var isConflict: Bool {
        status == .conflict
    }

    /// A short form for logs: `database error (SQLSTATE 42P01): relation "x" does not exist`.
    public var description: String {
        sqlState.isEmpty ? "\(status): \(message)" : "\(status) (SQLSTATE \(sqlState)): \(message)"
    }
}
