import CImageAppPlugin

/// One run of a command or query: what crosses the ABI as `ia_command *`.
///
/// `@unchecked Sendable`: used only by the thread that dispatched it, during the handler.
final class CommandContext: @unchecked Sendable {
    let name: String
    let payload: String
    let attempt: UInt32
    let session: DatabaseSession
    /// A query (read only): it cannot raise events.
    var isQuery = false
    let arena = CStringArena()
    var result: String?
    var failure: CommandFailure?
    /// Events raised by this attempt, written to the outbox before COMMIT.
    var events: [(type: String, payload: String)] = []

    init(name: String, payload: String, attempt: UInt32, session: DatabaseSession) {
        self.name = name
        self.payload = payload
        self.attempt = attempt
        self.session = session
    }

    static func from(_ handle: OpaquePointer?) -> CommandContext? {
        guard let handle else { return nil }
        return Unmanaged<CommandContext>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue()
    }

    /// The pointer handed to the handler (valid while the dispatcher holds `self`).
    var handle: OpaquePointer { OpaquePointer(Unmanaged.passUnretained(self).toOpaque()) }
}

/// A refusal recorded with `command_fail`.
struct CommandFailure: Sendable, Equatable {
    var status: Int32
    var code: String
    var message: String
    /// A JSON object (validated), `{}` when none was given.
    var details: String = "{}"

    /// The product's error shape.
    var json: String {
        "{\"error\":{\"code\":\(JSONText.quote(code)),\"message\":\(JSONText.quote(message)),\"details\":\(details)}}"
    }
}

/// A database session handed to plugins as `ia_db *`: a command's transaction or a query's connection.
///
/// `@unchecked Sendable`: see ``CommandContext``.
final class DatabaseSession: @unchecked Sendable {
    let connection: PostgresConnection
    /// The first statement that failed; the transaction cannot go on after it.
    var failure: PostgresError?

    init(connection: PostgresConnection) {
        self.connection = connection
    }

    static func from(_ handle: OpaquePointer?) -> DatabaseSession? {
        guard let handle else { return nil }
        return Unmanaged<DatabaseSession>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue()
    }

    var handle: OpaquePointer { OpaquePointer(Unmanaged.passUnretained(self).toOpaque()) }
}

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

/// Bytes handed to a plugin as `ia_buffer *`; retained until `buffer_free`.
///
/// `@unchecked Sendable`: the storage is written once in `init` and only read afterwards.
final class HostBuffer: @unchecked Sendable {
    private let storage: UnsafeMutableRawBufferPointer

    convenience init(_ text: String) {
        self.init(bytes: UnsafeRawBufferPointer(start: nil, count: 0), text: text)
    }

    /// A copy of `bytes`, NUL-terminated for C callers.
    convenience init(bytes: UnsafeRawBufferPointer) {
        self.init(bytes: bytes, text: nil)
    }

    private init(bytes: UnsafeRawBufferPointer, text: String?) {
        if let text {
            let utf8 = Array(text.utf8)
            storage = .allocate(byteCount: utf8.count + 1, alignment: 1)
            storage.copyBytes(from: utf8)
            storage[utf8.count] = 0
        } else {
            storage = .allocate(byteCount: bytes.count + 1, alignment: 1)
            if bytes.count > 0 { storage.copyMemory(from: bytes) }
            storage[bytes.count] = 0
        }
    }

    /// The bytes (without the trailing NUL).
    var bytes: [UInt8] { Array(UnsafeRawBufferPointer(rebasing: storage[..<(storage.count - 1)])) }

    deinit { storage.deallocate() }

    var view: ia_str {
        ia_str(data: storage.baseAddress?.assumingMemoryBound(to: CChar.self), len: storage.count - 1)
    }

    static func from(_ handle: OpaquePointer?) -> HostBuffer? {
        guard let handle else { return nil }
        return Unmanaged<HostBuffer>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue()
    }

    func retainedHandle() -> OpaquePointer { OpaquePointer(Unmanaged.passRetained(self).toOpaque()) }
}
