/// A PostgreSQL failure: the connection, or the server refusing a statement.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure.
    public enum Kind: Sendable, Equatable {
        /// Could not connect, or the connection broke.
        case connection
        /// The server answered with an error (see ``sqlState``).
        case server
        /// No connection became free in time.
        case poolExhausted
        /// A result could not be read as the type asked for.
        case decoding
    }

    public var kind: Kind
    /// The five-character SQLSTATE for server errors (`23505` unique violation, `40001` ...).
    public var sqlState: String?
    /// The server's or libpq's message.
    public var message: String
    /// The server's detail line, if any.
    public var detail: String?
    /// The violated constraint, if any.
    public var constraint: String?

    public init(kind: Kind, sqlState: String? = nil, message: String, detail: String? = nil, constraint: String? = nil) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.constraint = constraint
    }

    /// Answered as "try again later" (`IA_ERR_UNAVAILABLE`, a 503): transient, or no pooled connection came free.
    public var isUnavailable: Bool { isTransient || kind == .poolExhausted }

    /// A prepared statement vanished (DISCARD ALL) or its cached plan went stale after a schema change: worth
    /// preparing again and running once more.
    public var isStalePreparedStatement: Bool { sqlState == "26000" || sqlState == "0A000" }

    /// Worth retrying in a new transaction: serialization failure, deadlock, or a lost connection.
    public var isTransient: Bool {
        kind == .connection || sqlState == "40001" || sqlState == "40P01" || (sqlState?.hasPrefix("08") ?? false)
    }

    public var description: String {
        var text = sqlState.map { "\($0): \(message)" } ?? message
        if let detail { text += " (\(detail))" }
        return text
    }
}
