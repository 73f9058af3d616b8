import CHiredis
import Dispatch
import Foundation
import Glibc
public import Logging
import Synchronization

/// Pub/sub on a dedicated connection and thread: `SUBSCRIBE`/`PSUBSCRIBE`, delivering each
/// message to a handler, and reconnecting (with exponential backoff) when the connection drops.
///
/// A subscribed connection can run no other commands, so it is never pooled. The thread owns the
/// hiredis context outright and waits in `poll` on the socket and on a wake-up pipe: other threads
/// never touch the context, they queue `SUBSCRIBE`/`UNSUBSCRIBE` commands and write a byte to the
/// pipe. After a reconnect every channel and pattern in the current set is subscribed again;
/// messages published while disconnected are lost (Redis pub/sub does not store them), which is
/// what ``epoch`` tells: whoever keeps copies that messages invalidate drops them when it changes.
/// An idle connection is checked with `PING`, so one that died silently (no reset from a
/// vanished server or network) is noticed within two ``healthCheck`` intervals, not never.
///
/// Call ``stop()`` when done: the running thread keeps the subscriber alive until then.
public final class RedisSubscriber: Sendable {
    /// A message received on a subscribed channel.
    public struct Message: Sendable, Equatable {
        /// The channel it was published on.
        public var channel: String
        /// The pattern that matched it, for a message received through ``subscribe(patterns:)``.
        public var pattern: String?
        /// What was published: bytes, unchanged.
        public var payload: [UInt8]

        /// Creates a message.
        public init(channel: String, pattern: String? = nil, payload: [UInt8]) {
            self.channel = channel
            self.pattern = pattern
            self.payload = payload
        }
    }

    /// Called on the subscriber's thread for each message, in the order Redis sent them.
    /// Keep it short: the next message waits for it.
    public typealias Handler = @Sendable (Message) -> Void

    /// Called on the subscriber's thread with the new ``epoch`` whenever it changes.
    public typealias EpochHandler = @Sendable (UInt64) -> Void

    /// The server.
    public let url: RedisURL
    private let timeout: Duration
    private let minimumBackoff: Duration
    private let maximumBackoff: Duration
    private let clientName: String?
    private let logger: Logger
    private let handler: Handler
    private let epochChanged: EpochHandler?
    /// How long the connection may be idle before a `PING`, and how long that `PING` may go unanswered.
    public let healthCheck: Duration
    private let currentEpoch = Atomic<UInt64>(0)
    /// The self-pipe that wakes the thread's `poll`: read end, write end (both non-blocking).
    private let wakeReader: Int32
    private let wakeWriter: Int32
    private let finished = DispatchSemaphore(value: 0)
    private let state = Mutex(State())

    private enum Phase { case created, running, stopping, stopped }

    private struct State {
        var phase = Phase.created
        /// What the caller asked for; resubscribed in full after every reconnect.
        var channels: Set<String> = []
        var patterns: Set<String> = []
        /// Commands for the thread to send on the current connection.
        var pending: [[[UInt8]]] = []
        /// What the server has confirmed on the current connection.
        var confirmedChannels: Set<String> = []
        var confirmedPatterns: Set<String> = []
        var connects = 0
        var thread: pthread_t?
    }

    /// Creates a subscriber; nothing connects until ``start()``.
    ///
    /// - Parameters:
    ///   - url: The server.
    ///   - timeout: Limits connecting and each socket write.
    ///   - reconnectBackoff: The first and the longest wait before reconnecting; the wait doubles
    ///     after each failed attempt and starts over after a successful connect.
    ///   - clientName: Sent with `CLIENT SETNAME`.
    ///   - logger: Receives a warning whenever the connection is lost or cannot be opened.
    ///   - healthCheck: An idle connection gets a `PING` after this long, and is dropped (and
    ///     reconnected) when the answer takes longer than this again.
    ///   - epochChanged: Told each new ``epoch``, on the subscriber's thread.
    ///   - handler: Receives the messages.
    public init(
        url: RedisURL,
        timeout: Duration = .seconds(5),
        reconnectBackoff: ClosedRange<Duration> = .milliseconds(100)...(.seconds(10)),
        clientName: String? = nil,
        logger: Logger = Logger(label: "image-app.redis"),
        healthCheck: Duration = .seconds(5),
        epochChanged: EpochHandler? = nil,
        handler: @escaping Handler
    ) {
        precondition(reconnectBackoff.lowerBound > .zero, "the reconnect backoff must be positive")
        precondition(healthCheck > .zero, "the health check interval must be positive")
        self.healthCheck = healthCheck
        self.epochChanged = epochChanged
        self.url = url
        self.timeout = timeout
        self.minimumBackoff = reconnectBackoff.lowerBound
        self.maximumBackoff = reconnectBackoff.upperBound
        self.clientName = clientName
        self.logger = logger
        self.handler = handler
        var descriptors: [Int32] = [-1, -1]
        guard pipe(&descriptors) == 0 else { fatalError("pipe() failed: errno \(errno)") }
        for descriptor in descriptors {
            _ = fcntl(descriptor, F_SETFL, O_NONBLOCK)
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
        }
        self.wakeReader = descriptors[0]
        self.wakeWriter = descriptors[1]
    }

    deinit {
        // The thread holds `self` until it returns, so nothing polls the pipe any more.
        close(wakeReader)
        close(wakeWriter)
    }

    /// Starts the thread, which connects and subscribes to everything asked for so far.
    public func start() {
        let shouldStart = state.withLock { state in
            guard state.phase == .created else { return false }
            state.phase = .running
            return true
        }
        precondition(shouldStart, "RedisSubscriber.start() called twice or after stop()")
        let thread = Thread { [self] in run() }
        thread.name = "redis-subscriber"
        thread.start()
    }

    /// Stops the thread and closes the connection; returns once the thread has finished.
    ///
    /// Idempotent. Called from the handler (that is, on the subscriber's own thread) it returns
    /// at once and the thread finishes after the handler returns.
    public func stop() {
        let mustWait = state.withLock { state in
            switch state.phase {
            case .created:
                state.phase = .stopped
                return false
            case .running:
                state.phase = .stopping
                return !(state.thread.map { pthread_equal($0, pthread_self()) != 0 } ?? false)
            case .stopping, .stopped:
                return false
            }
        }
        wake()
        if mustWait { finished.wait() }
    }

    /// Subscribes to channels (exact names), now and after every reconnect.
    public func subscribe(_ channels: [String]) {
        update(command: "SUBSCRIBE", channels) { state in
            channels.filter { state.channels.insert($0).inserted }
        }
    }

    /// Unsubscribes from channels.
    public func unsubscribe(_ channels: [String]) {
        update(command: "UNSUBSCRIBE", channels) { state in
            channels.filter { state.channels.remove($0) != nil }
        }
    }

    /// Subscribes to glob-style patterns such as `images.*`, now and after every reconnect.
    public func subscribe(patterns: [String]) {
        update(command: "PSUBSCRIBE", patterns) { state in
            patterns.filter { state.patterns.insert($0).inserted }
        }
    }

    /// Unsubscribes from patterns.
    public func unsubscribe(patterns: [String]) {
        update(command: "PUNSUBSCRIBE", patterns) { state in
            patterns.filter { state.patterns.remove($0) != nil }
        }
    }

    /// Channels the server has confirmed on the current connection (empty while disconnected).
    public var subscribedChannels: Set<String> { state.withLock { $0.confirmedChannels } }
    /// Patterns the server has confirmed on the current connection (empty while disconnected).
    public var subscribedPatterns: Set<String> { state.withLock { $0.confirmedPatterns } }
    /// How many times the thread has connected; more than 1 means it reconnected.
    var connects: Int { state.withLock { $0.connects } }

    /// 0 while messages may be missed (not connected yet, disconnected, or the channels and
    /// patterns asked for before connecting not yet confirmed); otherwise the number of the
    /// connection that delivers every message from now on. Two equal nonzero readings mean no
    /// message was missed in between.
    public var epoch: UInt64 { currentEpoch.load(ordering: .acquiring) }

    // MARK: Caller side

    /// Records a change to the wanted set and queues the command for the names that changed.
    private func update(command: String, _ names: [String], _ change: (inout State) -> [String]) {
        let queued = state.withLock { state in
            let changed = change(&state)
            guard !changed.isEmpty else { return false }
            state.pending.append([Array(command.utf8)] + changed.map { Array($0.utf8) })
            return true
        }
        if queued { wake() }
    }

    private func wake() {
        var byte: UInt8 = 1
        // A full pipe already guarantees a wake-up, so EAGAIN is fine to ignore.
        _ = write(wakeWriter, &byte, 1)
    }

    // MARK: Subscriber thread

    private func run() {
        state.withLock { $0.thread = pthread_self() }
        var backoff = minimumBackoff
        while !isStopping {
            do {
                let connection = try RedisConnection(url: url, timeout: timeout, clientName: clientName)
                if connects > 0 {
                    logger.info("Redis subscription connection re-established", metadata: ["redis": "\(url)"])
                }
                backoff = minimumBackoff
                try serve(connection)
            } catch {
                logger.warning(
                    "Redis subscription connection failed; reconnecting",
                    metadata: ["redis": "\(url)", "error": "\(error)", "retry-in": "\(backoff)"]
                )
            }
            state.withLock { state in
                state.confirmedChannels.removeAll()
                state.confirmedPatterns.removeAll()
            }
            setEpoch(0)
            guard !isStopping else { break }
            waitWhileRunning(for: backoff)
            backoff = min(backoff * 2, maximumBackoff)
        }
        state.withLock { $0.phase = .stopped }
        finished.signal()
    }

    private var isStopping: Bool { state.withLock { $0.phase != .running } }

    /// Subscribes to the full wanted set, then relays messages and queued commands until the
    /// connection fails (throws) or ``stop()`` is called (returns).
    private func serve(_ connection: RedisConnection) throws(RedisError) {
        try connection.withContext { context throws(RedisError) in
            // The full set covers anything queued before now.
            var commands = state.withLock { state in
                state.pending.removeAll()
                state.connects += 1
                var commands: [[[UInt8]]] = []
                if !state.channels.isEmpty {
                    commands.append([Array("SUBSCRIBE".utf8)] + state.channels.map { Array($0.utf8) })
                }
                if !state.patterns.isEmpty {
                    commands.append([Array("PSUBSCRIBE".utf8)] + state.patterns.map { Array($0.utf8) })
                }
                return commands
            }
            let clock = ContinuousClock()
            var lastHeard = clock.now
            var pingSent: ContinuousClock.Instant?
            let (seconds, attoseconds) = healthCheck.components
            let pollMilliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
            while true {
                try send(commands, on: context)
                markLiveIfConfirmed()
                var descriptors = [
                    pollfd(fd: context.pointee.fd, events: Int16(POLLIN), revents: 0),
                    pollfd(fd: wakeReader, events: Int16(POLLIN), revents: 0),
                ]
                let ready = poll(&descriptors, 2, pollMilliseconds)
                if ready < 0 {
                    guard errno == EINTR else { throw RedisError(.connection, "poll failed: errno \(errno)") }
                    commands = []
                    continue
                }
                if descriptors[0].revents == 0 {
                    let now = clock.now
                    if let pingSent, pingSent.duration(to: now) >= healthCheck {
                        throw RedisError(.connection, "no answer to PING within \(healthCheck)")
                    }
                    if pingSent == nil, lastHeard.duration(to: now) >= healthCheck {
                        try send([[Array("PING".utf8)]], on: context)
                        pingSent = now
                    }
                }
                if descriptors[1].revents != 0 {
                    drainWakePipe()
                    let (stopping, queued) = state.withLock { state in
                        defer { state.pending.removeAll() }
                        return (state.phase != .running, state.pending)
                    }
                    if stopping { return }
                    commands = queued
                } else {
                    commands = []
                }
                if descriptors[0].revents != 0 {
                    // Readable (or hung up): the read cannot block; end-of-file makes it fail.
                    guard redisBufferRead(context) == REDIS_OK else {
                        throw RedisConnection.error(of: context, errno: errno, doing: "read from a subscription")
                    }
                    lastHeard = clock.now
                    pingSent = nil
                    while true {
                        var raw: UnsafeMutableRawPointer?
                        guard redisGetReplyFromReader(context, &raw) == REDIS_OK else {
                            throw RedisConnection.error(of: context, errno: errno, doing: "parse a subscription reply")
                        }
                        guard let raw else { break }
                        let reply = RedisReply(raw.assumingMemoryBound(to: redisReply.self))
                        freeReplyObject(raw)
                        handle(reply)
                    }
                    markLiveIfConfirmed()
                }
            }
        }
    }

    /// Buffers `commands` and writes them all out (blocking, bounded by the socket timeout).
    private func send(_ commands: [[[UInt8]]], on context: UnsafeMutablePointer<redisContext>) throws(RedisError) {
        guard !commands.isEmpty else { return }
        for arguments in commands {
            try RedisConnection.withArgv(arguments) { argc, argv, lengths throws(RedisError) in
                guard redisAppendCommandArgv(context, argc, argv, lengths) == REDIS_OK else {
                    throw RedisConnection.error(of: context, errno: errno, doing: "buffer a subscription command")
                }
            }
        }
        var done: Int32 = 0
        repeat {
            guard redisBufferWrite(context, &done) == REDIS_OK else {
                throw RedisConnection.error(of: context, errno: errno, doing: "send a subscription command")
            }
        } while done == 0
    }

    /// Starts a new epoch once the server has confirmed everything asked for (at once when nothing is).
    private func markLiveIfConfirmed() {
        guard currentEpoch.load(ordering: .relaxed) == 0 else { return }
        let connection = state.withLock { state -> Int? in
            state.channels.isSubset(of: state.confirmedChannels) && state.patterns.isSubset(of: state.confirmedPatterns)
                ? state.connects : nil
        }
        if let connection { setEpoch(UInt64(connection)) }
    }

    private func setEpoch(_ epoch: UInt64) {
        guard currentEpoch.exchange(epoch, ordering: .acquiringAndReleasing) != epoch else { return }
        epochChanged?(epoch)
    }

    /// Delivers a message or records a (un)subscribe confirmation.
    private func handle(_ reply: RedisReply) {
        guard let elements = reply.array, let kind = elements.first?.stringValue else {
            if let message = reply.errorMessage {
                logger.warning(
                    "Redis refused a subscription command",
                    metadata: ["redis": "\(url)", "error": "\(message)"]
                )
            }
            return
        }
        func text(_ index: Int) -> String {
            String(decoding: elements.indices.contains(index) ? elements[index].bytes ?? [] : [], as: UTF8.self)
        }
        switch kind {
        case "message" where elements.count == 3:
            handler(Message(channel: text(1), payload: elements[2].bytes ?? []))
        case "pmessage" where elements.count == 4:
            handler(Message(channel: text(2), pattern: text(1), payload: elements[3].bytes ?? []))
        case "subscribe":
            state.withLock { _ = $0.confirmedChannels.insert(text(1)) }
        case "unsubscribe":
            state.withLock { _ = $0.confirmedChannels.remove(text(1)) }
        case "psubscribe":
            state.withLock { _ = $0.confirmedPatterns.insert(text(1)) }
        case "punsubscribe":
            state.withLock { _ = $0.confirmedPatterns.remove(text(1)) }
        default:
            break
        }
    }

    /// Sleeps for `duration` unless ``stop()`` is called first.
    private func waitWhileRunning(for duration: Duration) {
        let deadline = ContinuousClock.now + duration
        while !isStopping {
            let remaining = ContinuousClock.now.duration(to: deadline)
            guard remaining > .zero else { return }
            let (seconds, attoseconds) = remaining.components
            let milliseconds = Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
            var descriptor = pollfd(fd: wakeReader, events: Int16(POLLIN), revents: 0)
            if poll(&descriptor, 1, milliseconds) > 0 { drainWakePipe() }
        }
    }

    private func drainWakePipe() {
        var buffer = [UInt8](repeating: 0, count: 64)
        while read(wakeReader, &buffer, buffer.count) > 0 {}
    }
}
