public import CImageAppPlugin

/// The database session of a running command (its transaction) or query (its connection), from
/// ``CommandContext/db``.
///
/// Valid only while the handler runs, on the handler's thread; the type is deliberately not `Sendable`. The rows it
/// returns are copied into Swift values and outlive it.
public struct Database {
    /// The host's function table, for calling slots this SDK does not wrap.
    public let api: UnsafePointer<ia_host_api>
    /// The host's `ia_db` handle; `nil` only if the host handed none, and ``execute(_:_:)`` then throws.
    public let handle: OpaquePointer?

    init(api: UnsafePointer<ia_host_api>, handle: OpaquePointer?) {
        self.api = api
        self.handle = handle
    }

    /// Runs one statement with parameters `$1`, `$2`, … and returns its rows, copied out of the host's result.
    ///
    /// ```swift
    /// let id = try command.db.execute("INSERT INTO notes (body) VALUES ($1) RETURNING id", [.text(body)]).first?["id"]
    /// ```
    ///
    /// After a failure inside a command the transaction accepts no further statements: turn the error into a refusal
    /// or let it propagate out of the handler.
    ///
    /// - Parameters:
    ///   - sql: One statement; no `BEGIN`/`COMMIT` (the host owns the transaction).
    ///   - parameters: The values of `$1`, `$2`, …; they never become part of the SQL text.
    /// - Throws: ``DatabaseError`` with status ``PluginStatus/database`` and the SQLSTATE, ``PluginStatus/conflict``
    ///   for an integrity violation (``DatabaseError/isConflict``), or ``PluginStatus/unavailable`` when the
    ///   connection was lost.
    @discardableResult
    public func execute(_ sql: String, _ parameters: [DatabaseValue] = []) throws(DatabaseError) -> Rows {
        guard let handle, let execute = api.pointee.db_execute else {
            throw DatabaseError(status: .unsupported, message: "the host provided no database session")
        }
        var result: OpaquePointer?
        var error = ia_error.empty()
        let status = PluginStatus(
            rawValue: sql.withIAStr { sql in
                Self.withParameters(parameters) { execute(handle, sql, $0.baseAddress, $0.count, &result, &error) }
            }
        )
        defer { api.pointee.db_result_free?(result) }
        guard status == .ok else {
            let message = error.messageString
            throw DatabaseError(
                status: status.isError ? status : .internal,
                sqlState: error.sqlStateString,
                message: message.isEmpty ? "the statement failed: \(status)" : message
            )
        }
        return result.map(copy) ?? Rows(columns: [], rowCount: 0, cells: [])
    }

    /// Copies a host result into ``Rows``.
    private func copy(_ result: OpaquePointer) -> Rows {
        // Slot by slot through `api.pointee`, never a copy of the whole table: an older host's table may be shorter.
        let rowCount = api.pointee.db_result_rows?(result) ?? 0
        let columnCount = api.pointee.db_result_columns?(result) ?? 0
        let columns = (0..<columnCount).map { column in
            var name = ia_str()
            return api.pointee.db_result_column_name?(result, column, &name) == IA_OK ? name.string : ""
        }
        var cells: [[UInt8]?] = []
        cells.reserveCapacity(rowCount * columnCount)
        for row in 0..<rowCount {
            for column in 0..<columnCount {
                var value = ia_str()
                if api.pointee.db_result_value?(result, row, column, &value) == IA_OK {
                    cells.append(Array(UnsafeRawBufferPointer(start: UnsafeRawPointer(value.data), count: value.len)))
                } else {
                    cells.append(nil)  // SQL NULL
                }
            }
        }
        return Rows(
            columns: columns,
            rowCount: rowCount,
            cells: cells,
            affectedRows: api.pointee.db_result_affected?(result) ?? 0
        )
    }

    /// Calls `body` with `ia_db_param`s for `parameters`, whose bytes live in one buffer valid only for the call.
    private static func withParameters<Result>(
        _ parameters: [DatabaseValue],
        _ body: (UnsafeBufferPointer<ia_db_param>) -> Result
    ) -> Result {
        let byteCount = parameters.reduce(0) { total, parameter in
            switch parameter {
            case .null: total
            case .text(let text): total + text.utf8.count
            case .bytes(let bytes): total + bytes.count
            }
        }
        let storage = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(byteCount, 1))
        defer { storage.deallocate() }
        let params = UnsafeMutableBufferPointer<ia_db_param>.allocate(capacity: max(parameters.count, 1))
        defer { params.deallocate() }  // ia_db_param is trivial: no deinitialize needed.

        var offset = 0
        for (index, parameter) in parameters.enumerated() {
            var param = ia_db_param()
            let start = storage.baseAddress! + offset
            let free = UnsafeMutableBufferPointer(start: start, count: byteCount - offset)
            let count: Int
            switch parameter {
            case .null:
                param.type = Int32(IA_DB_NULL)
                count = 0
            case .text(let text):
                param.type = Int32(IA_DB_TEXT)
                count = free.initialize(fromContentsOf: text.utf8)
            case .bytes(let bytes):
                param.type = Int32(IA_DB_BYTES)
                count = free.initialize(fromContentsOf: bytes)
            }
            param.value = ia_str(data: UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self), len: count)
            params.initializeElement(at: index, to: param)
            offset += count
        }
        return body(UnsafeBufferPointer(rebasing: params[..<parameters.count]))
    }
}

// A session belongs to the thread running its handler.
@available(*, unavailable)
extension Database: Sendable {}
