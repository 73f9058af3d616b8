public import CImageAppPlugin

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One run of a command or query, handed to its handler (see ``PluginRegistrar/dataCommand(_:serializable:_:)``).
///
/// Valid only while the handler runs, on the handler's thread: the payload view and the database session belong to
/// the host and end with the handler. The type is deliberately not `Sendable`.
public struct CommandContext {
    /// The plugin's host, for logging and settings (and dispatching other commands, which run in transactions of
    /// their own: an effect outside this one, see ``attempt``).
    public let host: PluginHost
    /// The host's `ia_command` handle.
    public let handle: OpaquePointer
    /// What runs: a data command, a query or a service command (only data commands can raise events).
    let kind: PluginRegistrationError.Kind

    init(host: PluginHost, handle: OpaquePointer, kind: PluginRegistrationError.Kind = .dataCommand) {
        self.host = host
        self.handle = handle
        self.kind = kind
    }

    /// The host's function table, for calling slots this SDK does not wrap.
    public var api: UnsafePointer<ia_host_api> { host.api }

    /// The JSON payload the dispatcher sent (`{}` when it sent none).
    public var payload: String {
        var view = ia_str()
        guard api.pointee.command_payload?(handle, &view) == IA_OK else { return "" }
        return view.string
    }

    /// Decodes the payload as `type`, converting snake_case keys to camelCase and reading ISO 8601 dates (the
    /// convention ``PluginHost/dispatchCommand(_:payload:)`` encodes with).
    ///
    /// - Throws: ``HTTPError`` 400 `invalid_json` when the payload is not JSON of the expected shape; thrown out of
    ///   the handler, it becomes the command's refusal.
    public func decodePayload<T: Decodable>(_ type: T.Type = T.self) throws(HTTPError) -> T {
        try JSONCoding.decode(T.self, from: Data(payload.utf8), subject: "payload", rootName: "payload")
    }

    /// 1 on the first run of a command, 2 on its first retry, and so on (always 1 for a service command).
    ///
    /// The host runs a command again from the start after a serialization failure, a deadlock or a lost connection,
    /// so a handler must have no effects outside the database: no emails, no calls to other services, no files.
    public var attempt: UInt32 {
        api.pointee.command_attempt?(handle) ?? 0
    }

    /// The command's transaction, or the query's connection. A service command has neither: every statement throws
    /// ``DatabaseError`` with ``PluginStatus/state``.
    public var db: Database {
        Database(api: api, handle: api.pointee.command_db?(handle))
    }
}

// A command belongs to the thread running its handler.
@available(*, unavailable)
extension CommandContext: Sendable {}
