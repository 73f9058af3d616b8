import CImageAppPlugin

/// One run of a command or query: what crosses the ABI as `ia_command *`.
///
/// `@unchecked Sendable`: used only by the thread that dispatched it, during the handler.
final class CommandContext: @unchecked Sendable {
    let name: String
    let payload: String
    let attempt: UInt32
    let session: DatabaseSession
    /// What runs: only a data command has a transaction to raise events in.
    var kind = Kind.command
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

    /// How a handler runs.
    enum Kind {
        /// In a write transaction (`register_command`).
        case command
        /// In a read-only transaction (`register_query`).
        case query
        /// Without a database (`IA_COMMAND_NO_TRANSACTION`, ABI 1.13).
        case service
    }

    static func from(_ handle: OpaquePointer?) -> CommandContext? {
        guard let handle else { return nil }
        return Unmanaged<CommandContext>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue()
    }

    /// The pointer handed to the handler (valid while the dispatcher holds `self`).
    var handle: OpaquePointer { OpaquePointer(Unmanaged.passUnretained(self).toOpaque()) }
}
