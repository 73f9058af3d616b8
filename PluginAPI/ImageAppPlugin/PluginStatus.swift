public import CImageAppPlugin

/// An `ia_status` code returned by the host or by a plugin callback.
///
/// Negative values are errors. The list is append-only, so unknown values must be tolerated: they keep their raw value
/// and describe themselves as `status N`.
public struct PluginStatus: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The raw `ia_status` value.
    public var rawValue: ia_status

    /// Wraps a raw `ia_status` value.
    public init(rawValue: ia_status) {
        self.rawValue = rawValue
    }

    /// `IA_OK`: success; for middleware, continue with the next one.
    public static var ok: Self { Self(rawValue: IA_OK) }
    /// `IA_PENDING`: a handler will finish the response later.
    public static var pending: Self { Self(rawValue: IA_PENDING) }
    /// `IA_DONE`: a middleware wrote the response and stopped the chain.
    public static var done: Self { Self(rawValue: IA_DONE) }
    /// `IA_ERR_INVALID_ARGUMENT`.
    public static var invalidArgument: Self { Self(rawValue: IA_ERR_INVALID_ARGUMENT) }
    /// `IA_ERR_NOT_FOUND`.
    public static var notFound: Self { Self(rawValue: IA_ERR_NOT_FOUND) }
    /// `IA_ERR_CONFLICT`: for example a route or name that is already registered.
    public static var conflict: Self { Self(rawValue: IA_ERR_CONFLICT) }
    /// `IA_ERR_STATE`: called in the wrong lifecycle phase or after completion.
    public static var state: Self { Self(rawValue: IA_ERR_STATE) }
    /// `IA_ERR_UNSUPPORTED`.
    public static var unsupported: Self { Self(rawValue: IA_ERR_UNSUPPORTED) }
    /// `IA_ERR_INTERNAL`.
    public static var `internal`: Self { Self(rawValue: IA_ERR_INTERNAL) }
    /// `IA_ERR_TOO_LARGE`.
    public static var tooLarge: Self { Self(rawValue: IA_ERR_TOO_LARGE) }
    /// `IA_ERR_TYPE`: a setting exists but has another type.
    public static var type: Self { Self(rawValue: IA_ERR_TYPE) }
    /// `IA_ERR_DATABASE` (ABI 1.1): the database refused a statement; see ``DatabaseError/sqlState``.
    public static var database: Self { Self(rawValue: IA_ERR_DATABASE) }
    /// `IA_ERR_UNAVAILABLE` (ABI 1.1): a dependency is down, or a transient failure outlasted the retries; try again
    /// later (HTTP 503).
    public static var unavailable: Self { Self(rawValue: IA_ERR_UNAVAILABLE) }
    /// `IA_ERR_REJECTED` (ABI 1.1): a command or query refused its input.
    public static var rejected: Self { Self(rawValue: IA_ERR_REJECTED) }
    /// `IA_ERR_REDIS_REPLY` (ABI 1.8): the Redis server answered with an error reply (handed out with it). Only
    /// plugins that declare ABI 1.8 or newer get it; the SDK turns it into ``RedisValue/error(_:)``.
    public static var redisReply: Self { Self(rawValue: IA_ERR_REDIS_REPLY) }

    /// Whether this is an error code (negative).
    public var isError: Bool { rawValue < 0 }

    /// The code's name, such as `conflict`, or `status N` for a code this SDK does not know.
    public var description: String {
        switch self {
        case .ok: "ok"
        case .pending: "pending"
        case .done: "done"
        case .invalidArgument: "invalid argument"
        case .notFound: "not found"
        case .conflict: "conflict"
        case .state: "wrong state"
        case .unsupported: "unsupported"
        case .internal: "internal error"
        case .tooLarge: "too large"
        case .type: "wrong type"
        case .database: "database error"
        case .unavailable: "unavailable"
        case .rejected: "rejected"
        case .redisReply: "Redis error reply"
        default: "status \(rawValue)"
        }
    }
}
