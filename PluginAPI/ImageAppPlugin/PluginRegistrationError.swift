import CImageAppPlugin

/// The host refused a registration (a route, middleware, command, metric, migration, query, event handler, job or
/// subscription).
///
/// The host remembers the refusal and will not load the plugin even if `initialize` swallows this error, so the usual
/// thing to do is let it propagate: the SDK then hands its description to the host as the reason.
public struct PluginRegistrationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was being registered.
    public enum Kind: String, Hashable, Sendable {
        /// A route (`register_route`).
        case route
        /// A middleware (`register_middleware`).
        case middleware
        /// A command-line command (`register_cli_command`).
        case command
        /// A metric (`metric_register`).
        case metric
        /// A database migration (`register_migration`, ABI 1.1).
        case migration
        /// A data command, run in a transaction (`register_command`, ABI 1.1).
        case dataCommand = "data command"
        /// A service command, run without a database (`register_command` with `IA_COMMAND_NO_TRANSACTION`, ABI 1.13).
        case serviceCommand = "service command"
        /// A query (`register_query`, ABI 1.1).
        case query
        /// An event handler (`register_event_handler`, ABI 1.2).
        case eventHandler = "event handler"
        /// A periodic job (`register_job`, ABI 1.3).
        case job
        /// A Redis pub/sub subscription (`redis_subscribe`, ABI 1.5); its name is the channel or pattern.
        case subscription
    }

    /// What was being registered.
    public var kind: Kind
    /// The registration's name: `METHOD path` for a route, otherwise its name.
    public var name: String
    /// The status the host returned.
    public var status: PluginStatus
    /// Why the SDK refused before asking the host (a capability the host's ABI version lacks), when it did.
    public var reason: String?

    /// Creates a registration error.
    public init(kind: Kind, name: String, status: PluginStatus, reason: String? = nil) {
        self.kind = kind
        self.name = name
        self.status = status
        self.reason = reason
    }

    /// A sentence such as `the host refused route GET /x: conflict`.
    ///
    /// ``PluginStatus/unsupported`` means the host's table lacks the registration slot: the SDK checks for slots
    /// newer than ABI 1.0 and reports an older host this way rather than calling past the end of its table. With a
    /// ``reason``, the host's ABI version lacks a capability that is a flag rather than a slot (ABI 1.13's
    /// form-or-body routes and service commands).
    public var description: String {
        if let reason {
            return "the host cannot register \(kind.rawValue) \(name): \(reason); upgrade the host"
        }
        if status == .unsupported {
            return "the host cannot register \(kind.rawValue) \(name): its plugin ABI lacks that slot; upgrade the host"
        }
        return "the host refused \(kind.rawValue) \(name): \(status)"
    }
}

extension PluginRegistrationError {
    /// Throws unless the host accepted a registration.
    static func check(_ raw: ia_status, kind: Kind, name: String) throws(PluginRegistrationError) {
        let status = PluginStatus(rawValue: raw)
        if status.isError {
            throw PluginRegistrationError(kind: kind, name: name, status: status)
        }
    }
}
