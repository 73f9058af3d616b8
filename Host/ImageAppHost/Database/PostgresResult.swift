import CLibPQ

/// The rows of one statement, read in text format. Owns its `PGresult` and frees it.
///
/// `@unchecked Sendable`: the result is immutable after creation and libpq's read functions on
/// a `PGresult` do not touch shared state.
public final class PostgresResult: @unchecked Sendable {
    private let handle: OpaquePointer

    init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        PQclear(handle)
    }

    /// Number of rows.
    public var rowCount: Int { Int(PQntuples(handle)) }
    /// Number of columns.
    public var columnCount: Int { Int(PQnfields(handle)) }
    /// Rows changed by an INSERT, UPDATE or DELETE (0 otherwise).
    public var affectedRows: Int { Int(String(cString: PQcmdTuples(handle))) ?? 0 }

    /// The name of column `column`.
    public func columnName(_ column: Int) -> String {
        String(cString: PQfname(handle, Int32(column)))
    }

    /// The index of the column named `name`.
    public func columnIndex(_ name: String) -> Int? {
        let index = Int(PQfnumber(handle, name))
        return index >= 0 ? index : nil
    }

    /// The type OID of column `column` (17 is bytea).
    public func columnType(_ column: Int) -> UInt32 {
        UInt32(PQftype(handle, Int32(column)))
    }

    /// Whether the value is SQL NULL.
    public func isNull(_ row: Int, _ column: Int) -> Bool {
        guard contains(row, column) else { return true }
        return PQgetisnull(handle, Int32(row), Int32(column)) == 1
    }

    /// The value's text, or nil for NULL (or out of range).
    public func string(_ row: Int, _ column: Int) -> String? {
        guard !isNull(row, column), let value = PQgetvalue(handle, Int32(row), Int32(column)) else { return nil }
        let length = Int(PQgetlength(handle, Int32(row), Int32(column)))
        return value.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }

    /// The value as an integer (int2/int4/int8/numeric without fraction).
    public func int(_ row: Int, _ column: Int) -> Int64? {
        string(row, column).flatMap { Int64($0) }
    }

    public func double(_ row: Int, _ column: Int) -> Double? {
        string(row, column).flatMap { Double($0) }
    }

    /// The value of a boolean column.
    public func bool(_ row: Int, _ column: Int) -> Bool? {
        string(row, column).map { $0 == "t" || $0 == "true" }
    }

    /// The value of a bytea column (decoded from the hex text format).
    public func bytes(_ row: Int, _ column: Int) -> [UInt8]? {
        guard let text = string(row, column) else { return nil }
        guard text.hasPrefix("\\x") else { return Array(text.utf8) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity((text.utf8.count - 2) / 2)
        var high: UInt8?
        for character in text.utf8.dropFirst(2) {
            guard let nibble = Self.hexValue(character) else { return nil }
            if let h = high {
                bytes.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return bytes
    }

    private func contains(_ row: Int, _ column: Int) -> Bool {
        row >= 0 && row < rowCount && column >= 0 && column < columnCount
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x61...0x66: byte - 0x61 + 10
        case 0x41...0x46: byte - 0x41 + 10
        default: nil
        }
    }
}
