import CImageAppPlugin

extension HostAPI {
    /// ABI 1.11: Redis commands and scripts that never block the caller (``RedisPipeline``), for middleware and
    /// non-blocking routes on an event loop.
    static func addAsyncRedis(to api: inout ia_host_api) {
        api.redis_command_async = { host, argc, argv, callback, userData in
            guard argc > 0, let argv, let callback else { return IA_ERR_INVALID_ARGUMENT }
            let arguments = (0..<argc).map { HostAPI.bytes(argv[$0]) }
            HostAPI.submit(host, arguments, script: nil, callback, userData)
            return IA_OK
        }
        api.redis_script_register = { host, source, scriptID in
            guard let scriptID, source.len > 0 else { return IA_ERR_INVALID_ARGUMENT }
            guard let pipeline = PluginContext.from(host)?.registry.services.redisPipeline else { return IA_ERR_UNAVAILABLE }
            scriptID.pointee = UInt32(pipeline.register(script: HostAPI.bytes(source)))
            return IA_OK
        }
        api.redis_script_async = { host, scriptID, keyCount, argc, argv, callback, userData in
            guard let callback, keyCount <= argc, argc == 0 || argv != nil else { return IA_ERR_INVALID_ARGUMENT }
            // Without Redis no script was registered either: `submit` answers unavailable.
            if let pipeline = PluginContext.from(host)?.registry.services.redisPipeline, !pipeline.knows(script: Int(scriptID)) {
                return IA_ERR_NOT_FOUND
            }
            let arguments = [Array(String(keyCount).utf8)] + (0..<argc).map { HostAPI.bytes(argv![$0]) }
            HostAPI.submit(host, arguments, script: Int(scriptID), callback, userData)
            return IA_OK
        }
    }

    /// Queues the command; the callback gets the reply (its handle freed after the call) or why there is none.
    fileprivate static func submit(
        _ host: OpaquePointer?,
        _ arguments: [[UInt8]],
        script: Int?,
        _ callback: ia_redis_async_fn,
        _ userData: UnsafeMutableRawPointer?
    ) {
        guard let pipeline = PluginContext.from(host)?.registry.services.redisPipeline else {
            return callback(userData, IA_ERR_UNAVAILABLE, nil)
        }
        let plugin = UserData(userData)
        pipeline.submit(arguments, script: script) { result in
            switch result {
            case .success(let reply):
                let handle = RedisReplyHandle(reply)
                let status: ia_status = if case .error = reply { IA_ERR_REDIS_REPLY } else { IA_OK }
                withExtendedLifetime(handle) { callback(plugin.pointer, status, handle.unretainedHandle) }
            case .failure:
                callback(plugin.pointer, IA_ERR_UNAVAILABLE, nil)
            }
        }
    }

    /// A plugin's `user_data`, which the ABI lets any thread use.
    fileprivate struct UserData: @unchecked Sendable {
        let pointer: UnsafeMutableRawPointer?
        init(_ pointer: UnsafeMutableRawPointer?) { self.pointer = pointer }
    }
}
