import CImageAppPlugin

/// A Redis reply handed to a plugin as `ia_redis_reply *`. The top-level handle is retained
/// until `redis_reply_free`; element handles belong to their parent.
///
/// `@unchecked Sendable`: a plugin reads a reply from one thread at a time (header contract);
/// the lazily made element handles and views are only created by that reader.
final class RedisReplyHandle: @unchecked Sendable {
    let reply: RedisReply
    private var elements: [RedisReplyHandle]?
    private var text: ia_str?
    private let arena = CStringArena()

    init(_ reply: RedisReply) {
        self.reply = reply
    }

    static func from(_ handle: OpaquePointer?) -> RedisReplyHandle? {
        guard let handle else { return nil }
        return Unmanaged<RedisReplyHandle>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue()
    }

    func retainedHandle() -> OpaquePointer { OpaquePointer(Unmanaged.passRetained(self).toOpaque()) }
    var unretainedHandle: OpaquePointer { OpaquePointer(Unmanaged.passUnretained(self).toOpaque()) }

    var type: Int32 {
        switch reply {
        case .string: IA_REDIS_STRING
        case .integer: IA_REDIS_INTEGER
        case .array: IA_REDIS_ARRAY
        case .null: IA_REDIS_NIL
        case .status: IA_REDIS_STATUS
        case .error: IA_REDIS_ERROR
        case .double: IA_REDIS_DOUBLE
        case .bool: IA_REDIS_BOOL
        }
    }

    func string() -> ia_str? {
        if let text { return text }
        let made: ia_str
        switch reply {
        case .string(let bytes): made = arena.bytes(bytes)
        case .status(let value), .error(let value): made = arena.view(value)
        case .double(let value): made = arena.view(String(value))
        default: return nil
        }
        text = made
        return made
    }

    var integer: Int64 {
        switch reply {
        case .integer(let value): value
        case .bool(let value): value ? 1 : 0
        default: 0
        }
    }

    func element(_ index: Int) -> RedisReplyHandle? {
        guard case .array(let items) = reply else { return nil }
        if elements == nil { elements = items.map(RedisReplyHandle.init) }
        guard let elements, index >= 0, index < elements.count else { return nil }
        return elements[index]
    }

    var count: Int {
        if case .array(let items) = reply { return items.count }
        return 0
    }
}
