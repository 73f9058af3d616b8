import CLibPQ
import Glibc

/// One libpq connection. Blocking: use it only on worker threads, never on an event loop.
///
/// `@unchecked Sendable`: a connection is used by one thread at a time — the pool hands it to
/// a single lease holder — and libpq allows a `PGconn` to move between threads between calls.
public final class PostgresConnection: @unchecked Sendable {
    let handle: OpaquePointer
    /// Prepared statements by SQL text; names are `ia_s1`, `ia_s2`, ...
    var statements: [String: String] = [:]
    /// Statements without parameters (BEGIN, SAVEPOINT, RELEASE) that go in front of the next one, in its round trip.
    var deferred: [String] = []
    /// Most statements a connection prepares; beyond it statements run unprepared.
    static let statementCacheLimit = 256

    /// The server process serving this connection (for diagnostics and tests).
    public let backendPID: Int32

    /// Connects (blocking) to `url`, e.g. `postgres://user@127.0.0.1:5432/db`.
    public init(url: String, connectTimeoutSeconds: Int = 5) throws(PostgresError) {
        // Keyword/value form with expand_dbname, so the URL may set anything and we add defaults.
        let keys = ["dbname", "connect_timeout", "application_name", "client_encoding"]
        let values = [url, String(connectTimeoutSeconds), "image-app", "UTF8"]
        let connection = Self.withCStringArray(keys) { keyPointers in
            Self.withCStringArray(values) { valuePointers in
                PQconnectdbParams(keyPointers, valuePointers, 1)
            }
        }
        guard let connection else { throw PostgresError(kind: .connection, message: "out of memory creating a connection") }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.trimmed(PQerrorMessage(connection))
            PQfinish(connection)
            throw PostgresError(kind: .connection, message: "cannot connect to PostgreSQL: \(message)")
        }
        // Server notices ("relation already exists, skipping") would go to stderr unasked.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        self.handle = connection
        self.backendPID = PQbackendPID(connection)
    }

    deinit {
        PQfinish(handle)
    }

    /// True when the connection cannot be trusted for the next statement.
    ///
    /// Call it only between statements. An idle connection should receive nothing (the pool
    /// does not LISTEN), so data waiting on its socket means the server is ending it — a
    /// terminated backend or a shutdown sends an error and closes — and it counts as broken.
    public var isBroken: Bool {
        if PQstatus(handle) != CONNECTION_OK { return true }
        var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
        guard descriptor.fd >= 0 else { return true }
        let ready = poll(&descriptor, 1, 0)
        if ready < 0 { return true }
        return ready > 0
    }

    /// Runs one statement with parameters (`$1`, `$2`, ...), prepared once per connection; after the deferred ones
    /// (``sendWithNext(_:)``), in the same round trip.
    @discardableResult
    public func query(_ sql: String, _ parameters: [PostgresValue] = []) throws(PostgresError) -> PostgresResult {
        if !deferred.isEmpty { return try pipeline([PipelineStep(sql: sql, parameters: parameters)])[0] }
        do {
            return try run(sql, parameters)
        } catch let error where error.isStalePreparedStatement {
            forgetPrepared(sql)
            return try run(sql, parameters)
        }
    }

    /// Runs one statement with parameters, planned for these parameters on each run instead of prepared: for the few
    /// statements whose best plan depends on how large a table has grown since the connection prepared them (a generic
    /// plan made while a table was nearly empty can scan it whole later). Nothing may be deferred.
    public func queryUnprepared(_ sql: String, _ parameters: [PostgresValue] = []) throws(PostgresError) -> PostgresResult {
        precondition(deferred.isEmpty, "queryUnprepared runs alone")
        let result = try withParameters(parameters) { count, values, lengths, formats in
            PQexecParams(handle, sql, count, nil, values, lengths, formats, 0)
        }
        guard let rows = try check(result, sql: sql) else {
            throw PostgresError(kind: .connection, message: "no result from PostgreSQL")
        }
        return rows
    }

    /// Drops the prepared form of `sql`, which vanished (DISCARD ALL) or whose plan went stale after a schema change,
    /// so that the next run prepares it afresh.
    func forgetPrepared(_ sql: String) {
        if let name = statements.removeValue(forKey: sql) { _ = PQexec(handle, "DEALLOCATE \(name)").map { PQclear($0) } }
    }

    /// Runs SQL text without parameters; it may hold several statements (migrations). The deferred statements
    /// (``sendWithNext(_:)``) go first, in the same text.
    public func execute(_ sql: String) throws(PostgresError) {
        let text = deferred.isEmpty ? sql : (deferred + [sql]).joined(separator: "; ")
        deferred = []
        let result = PQexec(handle, text)
        try check(result, sql: sql).map { _ in () }
    }

    /// Sends `sql` (no parameters: BEGIN, SAVEPOINT, RELEASE) in front of the next statement, in its round trip: on a
    /// busy machine each round trip is also a context switch on both sides.
    func sendWithNext(_ sql: String) {
        deferred.append(sql)
    }

    /// Ends the transaction, if one was begun, by ROLLBACK; deferred statements are dropped unsent.
    func rollback() {
        deferred = []
        if PQtransactionStatus(handle) != PQTRANS_IDLE { _ = PQexec(handle, "ROLLBACK").map { PQclear($0) } }
    }

    // MARK: Internals

    private func run(_ sql: String, _ parameters: [PostgresValue]) throws(PostgresError) -> PostgresResult {
        var name = statements[sql]
        if name == nil, statements.count < Self.statementCacheLimit {
            let newName = "ia_s\(statements.count + 1)"
            let prepared = PQprepare(handle, newName, sql, Int32(parameters.count), nil)
            _ = try check(prepared, sql: sql)
            statements[sql] = newName
            name = newName
        }
        let result = try withParameters(parameters) { count, values, lengths, formats in
            if let name {
                PQexecPrepared(handle, name, count, values, lengths, formats, 0)
            } else {
                PQexecParams(handle, sql, count, nil, values, lengths, formats, 0)
            }
        }
        guard let rows = try check(result, sql: sql) else {
            throw PostgresError(kind: .connection, message: "no result from PostgreSQL")
        }
        return rows
    }

    /// Turns a libpq result into a ``PostgresResult`` or a ``PostgresError``.
    func check(_ result: OpaquePointer?, sql: String) throws(PostgresError) -> PostgresResult? {
        guard let result else {
            throw PostgresError(kind: .connection, message: Self.trimmed(PQerrorMessage(handle)))
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return PostgresResult(handle: result)
        default:
            let field = { (code: Int32) -> String? in PQresultErrorField(result, code).map { String(cString: $0) } }
            let error = PostgresError(
                kind: PQstatus(handle) == CONNECTION_OK ? .server : .connection,
                sqlState: field(CLibPQ_diagSQLState()),
                message: field(CLibPQ_diagMessagePrimary()) ?? Self.trimmed(PQresultErrorMessage(result)),
                detail: field(CLibPQ_diagMessageDetail()),
                constraint: field(CLibPQ_diagConstraintName())
            )
            PQclear(result)
            throw error
        }
    }

    /// Lays parameters out as libpq wants them: text values, except bytes in binary.
    func withParameters<R>(
        _ parameters: [PostgresValue],
        _ body: (Int32, UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> R
    ) throws(PostgresError) -> R {
        var storage: [UnsafeMutableRawPointer?] = []
        defer { storage.forEach { $0?.deallocate() } }
        var lengths: [Int32] = []
        var formats: [Int32] = []
        for parameter in parameters {
            switch parameter {
            case .null:
                storage.append(nil)
                lengths.append(0)
                formats.append(0)
            case .bytes(let bytes):
                let copy = UnsafeMutableRawPointer.allocate(byteCount: max(bytes.count, 1), alignment: 1)
                bytes.withUnsafeBytes { copy.copyMemory(from: $0.baseAddress ?? UnsafeRawPointer(copy), byteCount: bytes.count) }
                storage.append(copy)
                lengths.append(Int32(bytes.count))
                formats.append(1)
            default:
                let text = parameter.textForm ?? ""
                guard !text.utf8.contains(0) else {
                    throw PostgresError(kind: .server, sqlState: "22021", message: "text parameters cannot contain NUL bytes")
                }
                storage.append(UnsafeMutableRawPointer(CString.allocate(text)))
                lengths.append(0)
                formats.append(0)
            }
        }
        let values = storage.map { $0.map { UnsafePointer($0.assumingMemoryBound(to: CChar.self)) } }
        return values.withUnsafeBufferPointer { valueBuffer in
            lengths.withUnsafeBufferPointer { lengthBuffer in
                formats.withUnsafeBufferPointer { formatBuffer in
                    body(Int32(parameters.count), valueBuffer.baseAddress, lengthBuffer.baseAddress, formatBuffer.baseAddress)
                }
            }
        }
    }

    private static func withCStringArray<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
        let copies = strings.map { CString.allocate($0) }
        defer { copies.forEach { $0.deallocate() } }
        var pointers: [UnsafePointer<CChar>?] = copies.map { UnsafePointer($0) }
        pointers.append(nil)
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }

    static func trimmed(_ message: UnsafePointer<CChar>?) -> String {
        guard let message else { return "unknown error" }
        return String(String(cString: message).trimmingWhitespace().split(separator: "\n").joined(separator: "; "))
    }
}
