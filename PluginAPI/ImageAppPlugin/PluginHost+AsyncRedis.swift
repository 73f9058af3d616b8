import CImageAppPlugin

/// A Lua script registered with the host for ``PluginHost/runScript(_:keys:arguments:completion:)`` (ABI 1.11).
public struct RedisScript: Hashable, Sendable {
    let id: UInt32
}

// ABI 1.11: Redis without a worker thread. The host queues the command and pipelines it on a connection of its own;
// the completion runs on the host's Redis pipeline thread (or at once, on the calling thread, when the command could
// not be queued). Keep completions short and never block in them: every other asynchronous command waits.
extension PluginHost {
    /// Whether the host runs Redis commands asynchronously (ABI 1.11).
    public var hasAsyncRedis: Bool {
        has(\.redis_command_async) && has(\.redis_script_register) && has(\.redis_script_async)
    }

    /// Registers a Lua script, run later with ``runScript(_:keys:arguments:completion:)`` (`EVALSHA`, loaded again
    /// when Redis has forgotten it). Normally called in `initialize`.
    ///
    /// - Throws: ``PluginError`` with ``PluginStatus/unsupported`` on a host before ABI 1.11, or
    ///   ``PluginStatus/unavailable`` without `host.redis_url`.
    public func registerRedisScript(_ source: String) throws(PluginError) -> RedisScript {
        guard hasAsyncRedis, let register = api.pointee.redis_script_register else { throw unsupported("asynchronous Redis", since: 11) }
        var id: UInt32 = 0
        let status = source.withIAStr { register(handle, $0, &id) }
        guard status == IA_OK else { throw PluginError(status: PluginStatus(rawValue: status), message: "cannot register a Redis script") }
        return RedisScript(id: id)
    }

    /// Queues one Redis command and returns at once, without blocking: usable on an event loop, such as in
    /// non-blocking middleware. `completion` gets the reply (an error reply is ``RedisValue/error(_:)``), or a
    /// ``PluginError`` with ``PluginStatus/unavailable`` when Redis is unreachable or not configured.
    public func redisAsync(_ arguments: [String], completion: @escaping @Sendable (Result<RedisValue, PluginError>) -> Void) {
        guard hasAsyncRedis, let command = api.pointee.redis_command_async, !arguments.isEmpty else {
            return completion(.failure(unsupported("asynchronous Redis", since: 11)))
        }
        let box = Unmanaged.passRetained(AsyncBox(host: self, completion: completion)).toOpaque()
        let status = Self.withArguments(arguments.map { Array($0.utf8) }) { argv in
            command(handle, argv.count, argv.baseAddress, Self.asyncCompletion, box)
        }
        if status != IA_OK { Self.fail(box, status) }
    }

    /// Runs a registered script with `keys` and `arguments`, like ``redisAsync(_:completion:)``.
    public func runScript(
        _ script: RedisScript,
        keys: [String],
        arguments: [String],
        completion: @escaping @Sendable (Result<RedisValue, PluginError>) -> Void
    ) {
        guard hasAsyncRedis, let run = api.pointee.redis_script_async else {
            return completion(.failure(unsupported("asynchronous Redis", since: 11)))
        }
        let box = Unmanaged.passRetained(AsyncBox(host: self, completion: completion)).toOpaque()
        let status = Self.withArguments((keys + arguments).map { Array($0.utf8) }) { argv in
            run(handle, script.id, keys.count, argv.count, argv.baseAddress, Self.asyncCompletion, box)
        }
        if status != IA_OK { Self.fail(box, status) }
    }

    /// What the C callback carries: the completion, and the host to copy the reply with.
    private final class AsyncBox: Sendable {
        let host: PluginHost
        let completion: @Sendable (Result<RedisValue, PluginError>) -> Void

        init(host: PluginHost, completion: @escaping @Sendable (Result<RedisValue, PluginError>) -> Void) {
            self.host = host
            self.completion = completion
        }
    }

    /// Called once by the host per queued command; releases the box.
    private static let asyncCompletion: ia_redis_async_fn = { userData, status, reply in
        guard let userData else { return }
        let box = Unmanaged<AsyncBox>.fromOpaque(userData).takeRetainedValue()
        if let reply, status == IA_OK || status == IA_ERR_REDIS_REPLY {
            box.completion(.success(box.host.value(of: reply)))
        } else {
            box.completion(.failure(PluginError(status: PluginStatus(rawValue: status), message: "Redis is unavailable")))
        }
    }

    /// The host refused to queue the command (and will not call back): fail it here.
    private static func fail(_ box: UnsafeMutableRawPointer, _ status: ia_status) {
        let box = Unmanaged<AsyncBox>.fromOpaque(box).takeRetainedValue()
        box.completion(.failure(PluginError(status: PluginStatus(rawValue: status), message: "the host refused an asynchronous Redis command")))
    }
}
