import CLibPQ

/// A bare libpq connection for the test support's own SQL: creating and dropping databases, and probing what a
/// plugin stored. The host's `PostgresConnection` is internal to it; reaching it would need `@testable`, which only
/// debug builds allow, and this library is built by `swift build -c release` too.
final class SQLConnection {
    private let connection: OpaquePointer

    init(url: String) throws {
        guard let connection = PQconnectdb(url) else { throw SQLError(message: "out of memory", sqlState: nil) }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(connection))
            PQfinish(connection)
            throw SQLError(message: "connecting: \(message)", sqlState: nil)
        }
        self.connection = connection
    }

    deinit { PQfinish(connection) }

    /// Runs `sql` (no parameters: the test support only runs its own statements) and returns every row, NULL as nil,
    /// with the number of rows a command changed.
    @discardableResult
    func run(_ sql: String) throws -> (rows: [[String?]], affected: Int) {
        guard let result = PQexec(connection, sql) else {
            throw SQLError(message: String(cString: PQerrorMessage(connection)), sqlState: nil)
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK:
            let rows = (0..<PQntuples(result)).map { row in
                (0..<PQnfields(result)).map { column in
                    PQgetisnull(result, row, column) == 1 ? nil : String(cString: PQgetvalue(result, row, column))
                }
            }
            return (rows, Int(String(cString: PQcmdTuples(result))) ?? 0)
        default:
            let state = PQresultErrorField(result, CLibPQ_diagSQLState()).map { String(cString: $0) }
            throw SQLError(message: String(cString: PQresultErrorMessage(result)), sqlState: state)
        }
    }
}

/// A failed statement of ``SQLConnection``.
struct SQLError: Error, CustomStringConvertible {
    let message: String
    /// The SQLSTATE code, e.g. `42P04` (database exists).
    let sqlState: String?
    var description: String { message }
}
