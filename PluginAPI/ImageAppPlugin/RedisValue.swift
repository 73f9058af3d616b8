/// A Redis reply, copied out of the host's reply so it outlives it.
///
/// RESP3 maps, sets and pushes arrive flattened into ``array(_:)``. A reply the server refused is ``error(_:)``, not
/// a thrown error: `PluginHost.redis(_:)` throws only when the command could not be run.
public enum RedisValue: Hashable, Sendable {
    /// A bulk string (binary-safe).
    case string([UInt8])
    /// An integer.
    case integer(Int64)
    /// An array (also a flattened RESP3 map, set or push).
    case array([RedisValue])
    /// A nil reply, such as `GET` of a missing key.
    case null
    /// A status reply, such as `OK`.
    case status(String)
    /// The server refused the command; the text says why.
    case error(String)
    /// A RESP3 double.
    case double(Double)
    /// A RESP3 boolean.
    case bool(Bool)

    /// A ``string(_:)`` or ``status(_:)`` reply as text (invalid UTF-8 repaired); otherwise `nil`.
    public var text: String? {
        switch self {
        case .string(let bytes): String(decoding: bytes, as: UTF8.self)
        case .status(let text): text
        default: nil
        }
    }
}
