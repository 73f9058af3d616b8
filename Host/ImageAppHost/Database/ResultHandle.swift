import CImageAppPlugin

/// Rows handed to a plugin as `ia_db_result *`; retained until `db_result_free`.
///
/// `@unchecked Sendable`: the result is immutable; the views are made once, under a lock-free
/// rule that a plugin reads a result from one thread at a time (documented in the header).
final class ResultHandle: @unchecked Sendable {
    let result: PostgresResult
    private let arena = CStringArena()
    private var views: [Int: ia_str] = [:]
    private var nameViews: [Int: ia_str] = [:]

    init(result: PostgresResult) {
        self.result = result
    }

    static func from(_ handle: OpaquePointer?) -> ResultHandle? {
        guard let handle else { return nil }
        return Unmanaged<ResultHandle>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue()
    }

    /// A retained pointer for the plugin (balanced by `db_result_free`).
    func retainedHandle() -> OpaquePointer { OpaquePointer(Unmanaged.passRetained(self).toOpaque()) }

    func value(row: Int, column: Int) -> ia_str? {
        guard row >= 0, row < result.rowCount, column >= 0, column < result.columnCount, !result.isNull(row, column) else {
            return nil
        }
        let key = row &* result.columnCount &+ column
        if let cached = views[key] { return cached }
        let view: ia_str
        if result.columnType(column) == 17, let bytes = result.bytes(row, column) {
            view = arena.bytes(bytes)
        } else {
            view = arena.view(result.string(row, column) ?? "")
        }
        views[key] = view
        return view
    }

    func columnName(_ column: Int) -> ia_str? {
        guard column >= 0, column < result.columnCount else { return nil }
        if let cached = nameViews[column] { return cached }
        let view = arena.view(result.columnName(column))
        nameViews[column] = view
        return view
    }
}
