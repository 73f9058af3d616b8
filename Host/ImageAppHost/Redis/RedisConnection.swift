import CHiredis
import Glibc
import Synchronization

/// One blocking connection to Redis, owning a hiredis `redisContext`.
///
/// Every call blocks the calling thread until the reply arrives or the timeout passes, so use it
/// from worker threads, never from an event loop or the cooperative pool. Calls from several
/// threads are serialised by a lock, but interleaving them is rarely what you want (a `MULTI`
/// from one thread would swallow another's commands): lease connections from a ``RedisPool``.
///
/// Once a call fails with anything but a server error reply, hiredis refuses further use of the
/// context: ``isBroken`` turns true and the connection must be replaced.
public final class RedisConnection: Sendable {
    /// Where this connection points.
    public let url: RedisURL
    /// The context; the mutex is the only way to it, which is what makes the class `Sendable`.
    private let context: Mutex<UnsafeMutablePointer<redisContext>>

    /// Connects, logs in with `AUTH` when the URL has a password, and selects the URL's database.
    ///
    /// - Parameters:
    ///   - url: The server.
    ///   - timeout: Limits connecting, and then each socket read and write.
    ///   - clientName: Sent with `CLIENT SETNAME` so the connection can be told apart in `CLIENT LIST`.
    /// - Throws: ``RedisError`` with code ``RedisError/Code/connection`` or ``RedisError/Code/timeout``.
    public init(url: RedisURL, timeout: Duration = .seconds(5), clientName: String? = nil) throws(RedisError) {
        let interval = Self.socketTimeout(timeout)
        guard let context = redisConnectWithTimeout(url.host, Int32(clamping: url.port), interval) else {
            throw RedisError(.connection, "cannot connect to \(url.host):\(url.port): out of memory")
        }
        if context.pointee.err != 0 {
            let error = Self.error(of: context, errno: errno, doing: "connect to \(url.host):\(url.port)")
            redisFree(context)
            throw error
        }
        self.url = url
        self.context = Mutex(context)
        // From here on deinit frees the context, also when a login step below throws.
        try withContext { context throws(RedisError) in
            guard redisSetTimeout(context, interval) == REDIS_OK else {
                throw Self.error(of: context, errno: errno, doing: "set the socket timeout")
            }
            // Detects a server that vanished without closing the socket (matters for idle subscribers).
            _ = redisEnableKeepAlive(context)
        }
        var login: [[String]] = []
        if let password = url.password {
            login.append(url.username.map { ["AUTH", $0, password] } ?? ["AUTH", password])
        }
        if url.database != 0 { login.append(["SELECT", String(url.database)]) }
        if let clientName { login.append(["CLIENT", "SETNAME", clientName]) }
        for (step, reply) in zip(login, try pipeline(login.map { $0.map { Array($0.utf8) } })) {
            if case .error(let message) = reply {
                throw RedisError(.connection, "\(step[0]) failed on \(url.host):\(url.port): \(message)")
            }
        }
    }

    /// Connects to a URL given as text; see ``init(url:timeout:clientName:)``.
    ///
    /// - Throws: ``RedisError`` with code ``RedisError/Code/invalidURL`` for a bad URL, else as the other initialiser.
    public convenience init(
        url: String,
        timeout: Duration = .seconds(5),
        clientName: String? = nil
    ) throws(RedisError) {
        try self.init(url: try RedisURL(url), timeout: timeout, clientName: clientName)
    }

    deinit {
        context.withLock { redisFree($0) }
    }

    /// Whether hiredis has given up on the connection (after an I/O, protocol or timeout error).
    public var isBroken: Bool {
        context.withLock { $0.pointee.err != 0 }
    }

    /// Changes the socket read and write timeout.
    ///
    /// - Throws: ``RedisError`` if the socket refuses the option.
    public func setTimeout(_ timeout: Duration) throws(RedisError) {
        try withContext { context throws(RedisError) in
            guard redisSetTimeout(context, Self.socketTimeout(timeout)) == REDIS_OK else {
                throw Self.error(of: context, errno: errno, doing: "set the socket timeout")
            }
        }
    }

    /// Sends one command, given as its arguments, and waits for the reply.
    ///
    /// Arguments are sent length-prefixed, so they may hold any bytes.
    ///
    /// - Parameter arguments: The command name and its arguments; must not be empty.
    /// - Returns: The reply; never ``RedisReply/error(_:)``, which is thrown instead.
    /// - Throws: ``RedisError``: ``RedisError/Code/server`` for an error reply (the connection stays
    ///   usable), ``RedisError/Code/connection``, ``RedisError/Code/timeout`` or
    ///   ``RedisError/Code/protocol`` when the connection broke.
    @discardableResult
    public func command(_ arguments: [[UInt8]]) throws(RedisError) -> RedisReply {
        precondition(!arguments.isEmpty, "a Redis command needs at least its name")
        let reply = try withContext { context throws(RedisError) in
            try Self.checkUsable(context)
            return try Self.withArgv(arguments) { argc, argv, lengths throws(RedisError) in
                guard let raw = redisCommandArgv(context, argc, argv, lengths) else {
                    throw Self.error(of: context, errno: errno, doing: Self.describe(arguments))
                }
                defer { freeReplyObject(raw) }
                return RedisReply(raw.assumingMemoryBound(to: redisReply.self))
            }
        }
        if case .error(let message) = reply { throw RedisError(.server, message) }
        return reply
    }

    /// Sends one command given as text arguments (sent as UTF-8); see the `[[UInt8]]` overload.
    @discardableResult
    public func command(_ arguments: String...) throws(RedisError) -> RedisReply {
        try command(arguments.map { Array($0.utf8) })
    }

    /// Sends several commands in one write and reads their replies in order: one round trip.
    ///
    /// Not atomic by itself; wrap the commands in `MULTI`…`EXEC` for that.
    ///
    /// - Parameter commands: Commands, each given as its arguments.
    /// - Returns: One reply per command. An error reply stays in place as ``RedisReply/error(_:)``,
    ///   so one bad command does not hide the others' results.
    /// - Throws: ``RedisError`` when the connection broke; the connection is then unusable.
    public func pipeline(_ commands: [[[UInt8]]]) throws(RedisError) -> [RedisReply] {
        guard !commands.isEmpty else { return [] }
        return try withContext { context throws(RedisError) in
            try Self.checkUsable(context)
            for arguments in commands {
                precondition(!arguments.isEmpty, "a Redis command needs at least its name")
                try Self.withArgv(arguments) { argc, argv, lengths throws(RedisError) in
                    // Only buffers the command (fails only when out of memory); redisGetReply sends it.
                    guard redisAppendCommandArgv(context, argc, argv, lengths) == REDIS_OK else {
                        throw Self.error(of: context, errno: errno, doing: "buffer a pipelined command")
                    }
                }
            }
            var replies: [RedisReply] = []
            replies.reserveCapacity(commands.count)
            for arguments in commands {
                var raw: UnsafeMutableRawPointer?
                guard redisGetReply(context, &raw) == REDIS_OK, let raw else {
                    throw Self.error(of: context, errno: errno, doing: Self.describe(arguments))
                }
                replies.append(RedisReply(raw.assumingMemoryBound(to: redisReply.self)))
                freeReplyObject(raw)
            }
            return replies
        }
    }

    /// Whether the connection can be handed out again: not broken, and the server has not closed
    /// it (or sent anything unasked) while it sat idle. One non-blocking `poll`.
    var isReusable: Bool {
        context.withLock { context in
            guard context.pointee.err == 0 else { return false }
            var descriptor = pollfd(fd: context.pointee.fd, events: Int16(POLLIN), revents: 0)
            // Readable while idle means end-of-file (CLIENT KILL, server restart, idle timeout) or junk.
            return poll(&descriptor, 1, 0) == 0
        }
    }

    /// Runs `body` with exclusive use of the hiredis context; for the subscriber's event loop.
    func withContext<Result, Failure: Error>(
        _ body: (UnsafeMutablePointer<redisContext>) throws(Failure) -> sending Result
    ) throws(Failure) -> sending Result {
        try context.withLock { context throws(Failure) in try body(context) }
    }

    /// Refuses a context that failed before: hiredis would fail again without a fresh `errno`.
    private static func checkUsable(_ context: UnsafeMutablePointer<redisContext>) throws(RedisError) {
        guard context.pointee.err == 0 else {
            let reason = String(cString: CHiredis_errorString(context))
            throw RedisError(.connection, "the connection is unusable after an earlier error: \(reason)")
        }
    }

    /// The error hiredis recorded in `context`, classified; `errno` must be read right after the failing call.
    static func error(
        of context: UnsafeMutablePointer<redisContext>,
        errno: Int32,
        doing action: String
    ) -> RedisError {
        let reason = String(cString: CHiredis_errorString(context))
        switch context.pointee.err {
        case REDIS_ERR_IO where errno == EAGAIN || errno == EWOULDBLOCK || errno == ETIMEDOUT || errno == EINPROGRESS:
            return RedisError(.timeout, "timed out trying to \(action): \(reason)")
        case REDIS_ERR_EOF:
            return RedisError(.connection, "server closed the connection while trying to \(action)")
        case REDIS_ERR_PROTOCOL:
            return RedisError(.protocol, "protocol error trying to \(action): \(reason)")
        default:
            return RedisError(.connection, "cannot \(action): \(reason.isEmpty ? "unknown error" : reason)")
        }
    }

    /// Converts a duration to the `timeval` hiredis takes; at least 1 µs, since zero means "no timeout".
    private static func socketTimeout(_ duration: Duration) -> Glibc.timeval {
        let (seconds, attoseconds) = duration.components
        let microseconds = max(seconds * 1_000_000 + attoseconds / 1_000_000_000_000, 1)
        return Glibc.timeval(tv_sec: Int(microseconds / 1_000_000), tv_usec: Int(microseconds % 1_000_000))
    }

    /// Calls `body` with hiredis's argv form of `arguments`: count, pointers and lengths.
    ///
    /// The arguments are copied into one buffer so that every pointer stays valid for the whole call.
    static func withArgv<Result, Failure: Error>(
        _ arguments: [[UInt8]],
        _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        var storage: [UInt8] = []
        storage.reserveCapacity(arguments.reduce(1) { $0 + $1.count })
        var offsets: [Int] = []
        var lengths: [Int] = []
        for argument in arguments {
            offsets.append(storage.count)
            lengths.append(argument.count)
            storage.append(contentsOf: argument)
        }
        storage.append(0)  // Never empty, so there is always a base address (empty arguments point at it).
        let result: Swift.Result<Result, Failure> = storage.withUnsafeBytes { buffer in
            let base = buffer.baseAddress!.assumingMemoryBound(to: CChar.self)
            var pointers: [UnsafePointer<CChar>?] = offsets.map { base + $0 }
            return pointers.withUnsafeMutableBufferPointer { argv in
                lengths.withUnsafeBufferPointer { lengthsBuffer in
                    do throws(Failure) {
                        return .success(try body(Int32(arguments.count), argv.baseAddress!, lengthsBuffer.baseAddress!))
                    } catch {
                        return .failure(error)
                    }
                }
            }
        }
        return try result.get()
    }

    /// The command name for error messages; arguments may be secrets or large, so they are left out.
    private static func describe(_ arguments: [[UInt8]]) -> String {
        "run \(String(decoding: arguments.first?.prefix(32) ?? [], as: UTF8.self).uppercased())"
    }
}
