/// A database session handed to plugins as `ia_db *`: a command's transaction or a query's connection.
///
/// `@unchecked Sendable`: see ``CommandContext``.
final class DatabaseSession: @unchecked Sendable {
    /// `nil` for a service command (`IA_COMMAND_NO_TRANSACTION`), which runs without a database: its statements are
    /// refused with `IA_ERR_STATE`.
    let connection: PostgresConnection?
    /// The first statement that failed; the transaction cannot go on after it.
    var failure: PostgresError?

    init(connection: PostgresConnection?) {
        self.connection = connection
    }

    static func from(_ handle: OpaquePointer?) -> DatabaseSession? {
        guard let handle else { return nil }
        return Unmanaged<DatabaseSession>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue()
    }

    var handle: OpaquePointer { OpaquePointer(Unmanaged.passUnretained(self).toOpaque()) }
}
