import CImageAppPlugin

/// The flag bits this host defines for each plugin-filled struct. Any other bit is refused
/// (``Registration/unknownFlags(_:_:_:_:known:)``): a plugin asking for behaviour this host
/// does not have must not be run as if it had asked for nothing. A flag appended to the header
/// is added here in the same change.
enum KnownFlags {
    static let descriptor: UInt32 = 0
    static let route = UInt32(
        IA_ROUTE_NONBLOCKING | IA_ROUTE_REQUIRE_USER | IA_ROUTE_REQUIRE_ADMIN | IA_ROUTE_HIDDEN | IA_ROUTE_MULTIPART | IA_ROUTE_FORM_OR_BODY
    )
    static let middleware = UInt32(IA_MIDDLEWARE_NONBLOCKING | IA_MIDDLEWARE_BEFORE_BODY)
    static let cliCommand: UInt32 = 0
    static let command = UInt32(IA_COMMAND_SERIALIZABLE | IA_COMMAND_NO_TRANSACTION)
    static let eventHandler = UInt32(IA_EVENT_IN_PROCESS)
    static let job: UInt32 = 0
    static let blobStore: UInt32 = 0
}
