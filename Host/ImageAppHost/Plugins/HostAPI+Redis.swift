import CImageAppPlugin

extension HostAPI {
    /// ABI 1.5: Redis commands, pub/sub and the tag-invalidated cache.
    static func addRedis(to api: inout ia_host_api) {
        api.redis_command = { host, argc, argv, out, error in
            out?.pointee = nil  // NULL on every failure
            guard argc > 0, let argv else { return IA_ERR_INVALID_ARGUMENT }
            let arguments = (0..<argc).map { HostAPI.bytes(argv[$0]) }
            var replied: RedisReply?
            let status = HostAPI.withRedis(host, error) { redis in
                replied = try redis.withConnection { try $0.command(arguments) }
            } serverError: { message in
                replied = .error(message)
            }
            guard status == IA_OK, let replied else { return status }
            // An error reply is handed out either way, so the plugin can read its text.
            out?.pointee = RedisReplyHandle(replied).retainedHandle()
            if case .error(let message) = replied {
                return HostAPI.errorReplyStatus(host, error, message)
            }
            return IA_OK
        }
        api.redis_pipeline = { host, count, argc, argv, replies, error in
            guard count > 0, let argc, let argv, let replies else { return IA_ERR_INVALID_ARGUMENT }
            for index in 0..<count { replies[index] = nil }  // NULL on every failure
            var commands: [[[UInt8]]] = []
            var offset = 0
            for index in 0..<count {
                guard argc[index] > 0 else { return IA_ERR_INVALID_ARGUMENT }
                commands.append((0..<argc[index]).map { HostAPI.bytes(argv[offset + $0]) })
                offset += argc[index]
            }
            var answers: [RedisReply] = []
            let status = HostAPI.withRedis(host, error) { redis in
                answers = try redis.withConnection { try $0.pipeline(commands) }
            } serverError: { _ in
            }
            guard status == IA_OK, answers.count == count else { return status == IA_OK ? IA_ERR_INTERNAL : status }
            for (index, answer) in answers.enumerated() { replies[index] = RedisReplyHandle(answer).retainedHandle() }
            for answer in answers {
                if case .error(let message) = answer { return HostAPI.errorReplyStatus(host, error, message) }
            }
            return IA_OK
        }
        api.redis_reply_type = { reply in RedisReplyHandle.from(reply)?.type ?? 0 }
        api.redis_reply_string = { reply, out in
            guard let handle = RedisReplyHandle.from(reply), let out else { return IA_ERR_INVALID_ARGUMENT }
            guard let view = handle.string() else { return IA_ERR_TYPE }
            out.pointee = view
            return IA_OK
        }
        api.redis_reply_integer = { reply in RedisReplyHandle.from(reply)?.integer ?? 0 }
        api.redis_reply_count = { reply in RedisReplyHandle.from(reply)?.count ?? 0 }
        api.redis_reply_element = { reply, index in
            RedisReplyHandle.from(reply)?.element(index)?.unretainedHandle
        }
        api.redis_reply_free = { reply in
            guard let reply else { return }
            Unmanaged<RedisReplyHandle>.fromOpaque(UnsafeRawPointer(reply)).release()
        }
        api.redis_subscribe = { host, channel, pattern, handler, userData in
            guard let context = PluginContext.from(host), let handler, channel.len > 0 else { return IA_ERR_INVALID_ARGUMENT }
            guard context.phase == .initializing || context.phase == .initialized || context.phase == .started else { return IA_ERR_STATE }
            context.registry.subscriptions.add(.init(channel: CString.string(channel), isPattern: pattern != 0, handler: handler, userData: userData))
            return IA_OK
        }
        api.redis_subscription_epoch = { host in
            PluginContext.from(host)?.registry.subscriptions.epoch ?? 0
        }
        api.cache_set = { host, key, data, length, ttl, tags, tagCount, error in
            guard key.len > 0, ttl > 0, data != nil || length == 0, tags != nil || tagCount == 0 else { return IA_ERR_INVALID_ARGUMENT }
            let value = length == 0 ? [] : Array(UnsafeRawBufferPointer(start: data, count: length))
            let tagNames = (0..<tagCount).map { CString.string(tags![$0]) }
            return HostAPI.withCache(host, error) { cache in
                try cache.set(CString.string(key), value: value, ttl: .milliseconds(ttl), tags: tagNames)
                return IA_OK
            }
        }
        api.cache_get = { host, key, out, error in
            out?.pointee = nil  // NULL on a miss and on every failure
            return HostAPI.withCache(host, error) { cache in
                guard let value = try cache.get(CString.string(key)) else { return IA_ERR_NOT_FOUND }
                out?.pointee = value.withUnsafeBytes { HostBuffer(bytes: $0).retainedHandle() }
                return IA_OK
            }
        }
        api.cache_peek = { host, key, out in
            out?.pointee = nil  // NULL on a miss and on every failure
            guard let context = PluginContext.from(host), key.len > 0 else { return IA_ERR_INVALID_ARGUMENT }
            guard let value = context.registry.services.cache?.peek(CString.string(key)) else { return IA_ERR_NOT_FOUND }
            out?.pointee = value.withUnsafeBytes { HostBuffer(bytes: $0).retainedHandle() }
            return IA_OK
        }
        api.cache_delete = { host, key, error in
            HostAPI.withCache(host, error) { cache in
                _ = try cache.delete(CString.string(key))
                return IA_OK
            }
        }
        api.cache_invalidate_tag = { host, tag, error in
            HostAPI.withCache(host, error) { cache in
                _ = try cache.invalidate(tag: CString.string(tag))
                return IA_OK
            }
        }
    }

    /// The status of a call the server answered with an error reply: IA_ERR_REDIS_REPLY for
    /// plugins that declare ABI 1.8 or newer (`error` gets the reply's text), IA_OK for older
    /// ones, which were promised IA_OK with a reply of type IA_REDIS_ERROR.
    private static func errorReplyStatus(_ host: OpaquePointer?, _ errorBuffer: UnsafeMutablePointer<ia_error>?, _ message: String) -> ia_status {
        guard let context = PluginContext.from(host), context.abiMinor >= 8 else { return IA_OK }
        ErrorBuffer.write(errorBuffer, status: IA_ERR_REDIS_REPLY, message: message)
        return IA_ERR_REDIS_REPLY
    }

    static func bytes(_ view: ia_str) -> [UInt8] {
        view.len == 0 ? [] : Array(UnsafeRawBufferPointer(start: view.data, count: view.len))
    }

    private static func withRedis(
        _ host: OpaquePointer?,
        _ errorBuffer: UnsafeMutablePointer<ia_error>?,
        _ body: (RedisPool) throws -> Void,
        serverError: (String) -> Void
    ) -> ia_status {
        guard let context = PluginContext.from(host) else { return IA_ERR_INVALID_ARGUMENT }
        guard let redis = context.registry.services.redis else {
            ErrorBuffer.write(errorBuffer, status: IA_ERR_UNAVAILABLE, message: "no Redis is configured (host.redis_url)")
            return IA_ERR_UNAVAILABLE
        }
        do {
            try body(redis)
            return IA_OK
        } catch let failure as RedisError where failure.code == .server {
            serverError(failure.message)
            return IA_OK
        } catch {
            ErrorBuffer.write(errorBuffer, status: IA_ERR_UNAVAILABLE, message: "\(error)")
            return IA_ERR_UNAVAILABLE
        }
    }

    private static func withCache(
        _ host: OpaquePointer?,
        _ errorBuffer: UnsafeMutablePointer<ia_error>?,
        _ body: (RedisCache) throws -> ia_status
    ) -> ia_status {
        guard let context = PluginContext.from(host) else { return IA_ERR_INVALID_ARGUMENT }
        guard let cache = context.registry.services.cache else {
            ErrorBuffer.write(errorBuffer, status: IA_ERR_UNAVAILABLE, message: "no Redis is configured (host.redis_url)")
            return IA_ERR_UNAVAILABLE
        }
        do {
            return try body(cache)
        } catch {
            ErrorBuffer.write(errorBuffer, status: IA_ERR_UNAVAILABLE, message: "\(error)")
            return IA_ERR_UNAVAILABLE
        }
    }
}
