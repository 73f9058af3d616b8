import CImageAppPlugin

// ABI 1.5 Redis: commands and pipelines in argv form over the host's connection (`host.redis_url`). Pub/sub
// subscriptions are registered with PluginRegistrar.subscribe (PluginRegistrar+PubSub.swift).

extension PluginHost {
    /// Runs one Redis command in argv form (binary-safe) and returns its reply, copied; the host's reply is freed.
    ///
    /// A reply the server refused is ``RedisValue/error(_:)``, not a thrown error, whichever ABI minor the plugin
    /// declares (the host says `IA_ERR_REDIS_REPLY` to plugins declaring 1.8 or newer, `IA_OK` to older ones, and hands
    /// out the reply either way). Prefix your keys with your plugin's name. Blocks: worker threads only.
    ///
    /// - Throws: ``PluginError`` with ``PluginStatus/unavailable`` without `host.redis_url` or a connection, or
    ///   ``PluginStatus/unsupported`` on a host older than ABI 1.5.
    public func redis(_ arguments: [[UInt8]]) throws(PluginError) -> RedisValue {
        guard hasRedisReplies, has(\.redis_command), let command = api.pointee.redis_command else {
            throw unsupported("Redis", since: 5)
        }
        var reply: OpaquePointer?
        var error = ia_error.empty()
        let status = Self.withArguments(arguments) { argv in
            command(handle, argv.count, argv.baseAddress, &reply, &error)
        }
        defer { if let reply { api.pointee.redis_reply_free?(reply) } }
        try check(Self.answered(status), error, "Redis command \(Self.commandName(arguments)) failed")
        guard let reply else {
            throw PluginError(status: .internal, message: "Redis command \(Self.commandName(arguments)): no reply")
        }
        return value(of: reply)
    }

    /// Runs one Redis command given as text arguments, such as `try host.redis("INCR", "myplugin:hits")`; see
    /// `redis(_: [[UInt8]])`.
    public func redis(_ arguments: String...) throws(PluginError) -> RedisValue {
        try redis(arguments.map { Array($0.utf8) })
    }

    /// Runs `commands` (each in argv form) in one round trip and returns their replies in order, copied; the host's
    /// replies are freed. Blocks: worker threads only.
    ///
    /// - Throws: ``PluginError`` as for `redis(_: [[UInt8]])`.
    public func redisPipeline(_ commands: [[[UInt8]]]) throws(PluginError) -> [RedisValue] {
        guard hasRedisReplies, has(\.redis_pipeline), let pipeline = api.pointee.redis_pipeline else {
            throw unsupported("Redis", since: 5)
        }
        guard !commands.isEmpty else { return [] }
        let counts = commands.map(\.count)
        var replies = [OpaquePointer?](repeating: nil, count: commands.count)
        var error = ia_error.empty()
        let status = Self.withArguments(commands.flatMap { $0 }) { argv in
            counts.withUnsafeBufferPointer { counts in
                replies.withUnsafeMutableBufferPointer { replies in
                    pipeline(handle, counts.count, counts.baseAddress, argv.baseAddress, replies.baseAddress, &error)
                }
            }
        }
        defer {
            for case let reply? in replies {
                api.pointee.redis_reply_free?(reply)
            }
        }
        try check(Self.answered(status), error, "Redis pipeline of \(commands.count) commands failed")
        var values: [RedisValue] = []
        values.reserveCapacity(replies.count)
        for (index, reply) in replies.enumerated() {
            guard let reply else {
                throw PluginError(status: .internal, message: "Redis pipeline: no reply to command \(index)")
            }
            values.append(value(of: reply))
        }
        return values
    }

    /// `IA_OK` for an error reply (`IA_ERR_REDIS_REPLY`): the server answered, and the reply says what it refused.
    private static func answered(_ status: ia_status) -> ia_status {
        status == IA_ERR_REDIS_REPLY ? IA_OK : status
    }

    /// Whether the host has every reply accessor (they arrived with the commands, in ABI 1.5).
    private var hasRedisReplies: Bool {
        has(\.redis_reply_type) && has(\.redis_reply_string) && has(\.redis_reply_integer)
            && has(\.redis_reply_count) && has(\.redis_reply_element) && has(\.redis_reply_free)
    }

    /// A copy of `reply` and its elements. A reply type this SDK does not know becomes a ``RedisValue/string(_:)``
    /// when it has text, otherwise ``RedisValue/null``.
    func value(of reply: OpaquePointer) -> RedisValue {
        let table = api.pointee
        func text() -> [UInt8]? {
            var view = ia_str()
            return table.redis_reply_string?(reply, &view) == IA_OK ? view.bytes : nil
        }
        switch table.redis_reply_type?(reply) ?? IA_REDIS_NIL {
        case IA_REDIS_STRING:
            return .string(text() ?? [])
        case IA_REDIS_INTEGER:
            return .integer(table.redis_reply_integer?(reply) ?? 0)
        case IA_REDIS_ARRAY:
            let count = table.redis_reply_count?(reply) ?? 0
            return .array(
                (0..<count).map { index in
                    table.redis_reply_element?(reply, index).map(value(of:)) ?? .null
                }
            )
        case IA_REDIS_NIL:
            return .null
        case IA_REDIS_STATUS:
            return .status(String(decoding: text() ?? [], as: UTF8.self))
        case IA_REDIS_ERROR:
            return .error(String(decoding: text() ?? [], as: UTF8.self))
        case IA_REDIS_DOUBLE:
            return .double(Double(String(decoding: text() ?? [], as: UTF8.self)) ?? .nan)
        case IA_REDIS_BOOL:
            return .bool((table.redis_reply_integer?(reply) ?? 0) != 0)
        default:
            return text().map(RedisValue.string) ?? .null
        }
    }

    /// The command's name (its first argument) for messages; the other arguments may be secret and are left out.
    private static func commandName(_ arguments: [[UInt8]]) -> String {
        String(decoding: arguments.first ?? [], as: UTF8.self)
    }

    /// Calls `body` with views of all `arguments` at once, valid only for the duration of the call.
    static func withArguments<Result>(
        _ arguments: [[UInt8]],
        _ body: (UnsafeBufferPointer<ia_str>) -> Result
    ) -> Result {
        let byteCount = arguments.reduce(0) { $0 + $1.count }
        let bytes = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: max(byteCount, 1))
        defer { bytes.deallocate() }
        let views = UnsafeMutableBufferPointer<ia_str>.allocate(capacity: max(arguments.count, 1))
        defer { views.deallocate() }  // ia_str is trivial: no deinitialize needed.

        var offset = 0
        for (index, argument) in arguments.enumerated() {
            let start = bytes.baseAddress! + offset
            _ = UnsafeMutableBufferPointer(start: start, count: argument.count).initialize(fromContentsOf: argument)
            views.initializeElement(
                at: index,
                to: ia_str(data: UnsafeRawPointer(start).assumingMemoryBound(to: CChar.self), len: argument.count)
            )
            offset += argument.count
        }
        return body(UnsafeBufferPointer(rebasing: views[..<arguments.count]))
    }
}
