/// The rows a statement returned, copied out of the host's `ia_db_result` (which the SDK frees at once), so they stay
/// valid after the handler and may travel to other threads.
///
/// Values arrive as PostgreSQL sends them in text form: `42`, `t`/`f` for booleans, `2024-05-01 12:00:00+00` for
/// timestamps; cast in SQL (`id::text`, `to_json(…)`) or parse them in Swift. A `bytea` column arrives as its raw
/// bytes: read it with ``Row/bytes(_:)-(Int)``.
///
/// ```swift
/// let rows = try command.db.execute("SELECT id, name FROM notes WHERE owner = $1", [.int(owner)])
/// for row in rows { print(row["id"] ?? "", row["name"] ?? "") }
/// ```
public struct Rows: RandomAccessCollection, Hashable, Sendable {
    /// The column names, in order (PostgreSQL folds unquoted names to lower case).
    public let columns: [String]
    /// Rows changed by an `INSERT`, `UPDATE` or `DELETE`; 0 for other statements.
    public let affectedRows: UInt64
    /// The number of rows.
    public let rowCount: Int
    /// Row-major cells; `nil` is SQL `NULL`.
    let cells: [[UInt8]?]

    /// Creates rows from row-major `cells` (`rowCount × columns.count` of them; `nil` for `NULL`).
    public init(columns: [String], rowCount: Int, cells: [[UInt8]?], affectedRows: UInt64 = 0) {
        precondition(cells.count == rowCount * columns.count, "Rows needs rowCount × columns.count cells")
        self.columns = columns
        self.rowCount = rowCount
        self.cells = cells
        self.affectedRows = affectedRows
    }

    /// The first row's index, 0.
    public var startIndex: Int { 0 }

    /// One past the last row's index.
    public var endIndex: Int { rowCount }

    /// The row at `position`.
    public subscript(position: Int) -> Row {
        precondition(indices.contains(position), "row index \(position) is out of range 0..<\(rowCount)")
        return Row(rows: self, index: position)
    }

    /// The index of the first column named `name`, or `nil`.
    public func columnIndex(_ name: String) -> Int? {
        columns.firstIndex(of: name)
    }

    /// The cell at `row` and `column`; `nil` for `NULL` or a column out of range.
    func cell(row: Int, column: Int) -> [UInt8]? {
        guard columns.indices.contains(column) else { return nil }
        return cells[row * columns.count + column]
    }
}
