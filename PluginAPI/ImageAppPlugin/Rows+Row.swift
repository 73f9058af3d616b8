extension Rows {
    /// One row of ``Rows``. Every accessor returns `nil` for SQL `NULL` and for a column that does not exist.
    public struct Row: Sendable {
        /// The rows this one belongs to.
        private let rows: Rows
        /// The row's position in ``Rows``.
        public let index: Int

        init(rows: Rows, index: Int) {
            self.rows = rows
            self.index = index
        }

        /// The column names, in order.
        public var columns: [String] { rows.columns }

        /// The value of column `column` (by position) as text.
        public subscript(column: Int) -> String? {
            bytes(column).map { String(decoding: $0, as: UTF8.self) }
        }

        /// The value of the first column named `column` as text.
        public subscript(column: String) -> String? {
            bytes(column).map { String(decoding: $0, as: UTF8.self) }
        }

        /// The value of column `column` (by position) as bytes: a `bytea` value's raw bytes, otherwise the text's
        /// UTF-8.
        public func bytes(_ column: Int) -> [UInt8]? {
            rows.cell(row: index, column: column)
        }

        /// The value of the first column named `column` as bytes; see ``bytes(_:)-(Int)``.
        public func bytes(_ column: String) -> [UInt8]? {
            rows.columnIndex(column).flatMap(bytes)
        }

        /// Whether the value of the first column named `column` is SQL `NULL` (or there is no such column).
        public func isNull(_ column: String) -> Bool {
            bytes(column) == nil
        }
    }
}
