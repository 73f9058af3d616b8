import CHiredis

/// A reply from Redis, copied out of hiredis's reply tree.
///
/// Bulk strings are bytes, so values round-trip unchanged whatever they hold. RESP3 replies
/// (which hiredis returns only from 1.0 on, after `HELLO 3`) map onto the RESP2 shapes: maps,
/// sets, pushes and attributes become flat arrays, big numbers and verbatim strings become strings.
public enum RedisReply: Sendable, Equatable {
    /// A bulk string (or RESP3 verbatim string or big number): binary-safe bytes.
    case string([UInt8])
    /// A simple string such as `OK` or `QUEUED`.
    case status(String)
    /// An integer reply.
    case integer(Int64)
    /// A RESP3 double.
    case double(Double)
    /// A RESP3 boolean.
    case bool(Bool)
    /// An array; RESP3 maps arrive as `[key1, value1, key2, value2, …]`.
    case array([RedisReply])
    /// A nil bulk string or nil array (a missing key, a timed-out blocking pop).
    case null
    /// An error reply, such as `WRONGTYPE Operation against a key holding the wrong kind of value`.
    case error(String)

    /// The text of a string or status reply, if it is valid UTF-8; `nil` for every other reply.
    public var stringValue: String? {
        switch self {
        case .string(let bytes): String(validating: bytes, as: UTF8.self)
        case .status(let text): text
        default: nil
        }
    }

    /// The bytes of a string or status reply; `nil` for every other reply.
    public var bytes: [UInt8]? {
        switch self {
        case .string(let bytes): bytes
        case .status(let text): Array(text.utf8)
        default: nil
        }
    }

    /// The value of an integer or boolean reply, or of a string holding a decimal integer
    /// (Redis returns some numbers, such as `INCRBYFLOAT` results and `CONFIG GET` values, as strings).
    public var int: Int64? {
        switch self {
        case .integer(let value): value
        case .bool(let value): value ? 1 : 0
        case .string(let bytes): Int64(String(decoding: bytes, as: UTF8.self))
        default: nil
        }
    }

    /// The elements of an array reply; `nil` for every other reply.
    public var array: [RedisReply]? {
        if case .array(let elements) = self { return elements }
        return nil
    }

    /// Whether this is a nil reply.
    public var isNull: Bool { self == .null }

    /// The message of an error reply; `nil` for every other reply.
    public var errorMessage: String? {
        if case .error(let message) = self { return message }
        return nil
    }
}

extension RedisReply {
    /// Copies a hiredis reply tree; the caller still frees it with `freeReplyObject`.
    init(_ reply: UnsafePointer<redisReply>) {
        let type = reply.pointee.type
        let text = { RedisReply.bytes(reply.pointee.str, count: reply.pointee.len) }
        let elements = {
            (0..<reply.pointee.elements).map { index in
                reply.pointee.element[index].map { RedisReply(UnsafePointer($0)) } ?? .null
            }
        }
        switch type {
        case REDIS_REPLY_STRING, CHiredis_replyBigNumber(), CHiredis_replyVerbatim():
            self = .string(text())
        case REDIS_REPLY_STATUS:
            self = .status(String(decoding: text(), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            self = .error(String(decoding: text(), as: UTF8.self))
        case REDIS_REPLY_INTEGER:
            self = .integer(reply.pointee.integer)
        case REDIS_REPLY_NIL:
            self = .null
        case REDIS_REPLY_ARRAY, CHiredis_replyMap(), CHiredis_replySet(), CHiredis_replyPush(),
            CHiredis_replyAttribute():
            self = .array(elements())
        case CHiredis_replyBool():
            self = .bool(reply.pointee.integer != 0)
        case CHiredis_replyDouble():
            // hiredis keeps the server's text next to the parsed value; the text works on every version.
            self = .double(Double(String(decoding: text(), as: UTF8.self)) ?? .nan)
        default:
            self = .error("unsupported reply type \(type) from hiredis")
        }
    }

    private static func bytes(_ pointer: UnsafeMutablePointer<CChar>?, count: Int) -> [UInt8] {
        guard let pointer, count > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }
}
