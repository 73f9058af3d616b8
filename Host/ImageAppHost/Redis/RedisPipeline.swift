import Foundation
import Logging
import Metrics
import Synchronization

/// Redis without a waiting thread per caller (ABI 1.11 `redis_command_async`, `redis_script_async`):
/// callers queue a command and a completion and return at once; one thread of the host's own
/// sends what is queued as a pipeline on its connection, reads the replies in order and calls the
/// completions, on that thread.
///
/// Under load many commands share one round trip; when idle, a command waits for nothing but its
/// own. Scripts are registered once (`register`) and run with `EVALSHA`; a `NOSCRIPT` reply (a
/// restarted or flushed server) loads the script again and retries it once. While Redis is
/// unreachable, commands fail at once for `retryInterval` instead of each waiting for a connect
/// timeout: callers such as the rate limiter then fail open without delay.
final class RedisPipeline: Sendable {
    /// What a queued command gets back: its reply (an error reply included), or why there is none.
    typealias Completion = @Sendable (Result<RedisReply, RedisError>) -> Void

    private struct Job {
        var arguments: [[UInt8]]
        /// A registered script to run with `EVALSHA` (`arguments` are then its key count, keys and arguments).
        var script: Int?
        var completion: Completion
    }

    private struct Queue {
        var jobs: [Job] = []
        var scripts: [[UInt8]] = []
    }

    private let url: RedisURL
    private let timeout: Duration
    private let capacity: Int
    private let queue = Mutex(Queue())
    private let loop = BlockingLoop(name: "redis-pipeline")
    private let stopper = Mutex<(@Sendable () -> Void)?>(nil)
    private let logger: Logger
    static let retryInterval: Duration = .seconds(1)
    static let batchLimit = 512

    /// - Parameters:
    ///   - timeout: Limits connecting and each read or write; a command waits at most about this long for Redis.
    ///   - capacity: Commands allowed to wait; beyond it a command fails at once.
    init(url: RedisURL, timeout: Duration, capacity: Int = 10_000, logger: Logger) {
        self.url = url
        self.timeout = timeout
        self.capacity = capacity
        self.logger = logger
    }

    /// Registers a Lua script; returns its id for ``submit(script:arguments:_:)``. Any thread.
    func register(script source: [UInt8]) -> Int {
        queue.withLock { queue in
            if let existing = queue.scripts.firstIndex(of: source) { return existing }
            queue.scripts.append(source)
            return queue.scripts.count - 1
        }
    }

    /// Whether `id` names a registered script.
    func knows(script id: Int) -> Bool {
        queue.withLock { id >= 0 && id < $0.scripts.count }
    }

    /// Queues a command; `completion` runs on the pipeline thread (or at once, on this thread, when the queue is full
    /// or the pipeline stopped). Never blocks.
    func submit(_ arguments: [[UInt8]], script: Int? = nil, _ completion: @escaping Completion) {
        let wasEmpty: Bool? = queue.withLock { queue in
            guard queue.jobs.count < capacity else { return nil }
            queue.jobs.append(Job(arguments: arguments, script: script, completion: completion))
            return queue.jobs.count == 1
        }
        guard let wasEmpty else {
            Counter(label: "imageapp_redis_async_refused_total", dimensions: [("reason", "queue_full")]).increment()
            return completion(.failure(RedisError(.connection, "the asynchronous Redis queue is full")))
        }
        if loop.isStopping {
            return failAll(RedisError(.connection, "the host is stopping"))
        }
        if wasEmpty { loop.wake() }
    }

    /// Starts the thread.
    func start() {
        let stop = loop.start { [self] in run() }
        stopper.withLock { $0 = stop }
    }

    /// Stops the thread; commands still queued fail.
    func stop() {
        let stop = stopper.withLock { stopper in
            defer { stopper = nil }
            return stopper
        }
        stop?()
        failAll(RedisError(.connection, "the host is stopping"))
    }

    // MARK: The thread

    private func run() {
        var connection: RedisConnection?
        var shas: [Int: [UInt8]] = [:]
        var downUntil: ContinuousClock.Instant?
        while !loop.isStopping {
            let (batch, scripts) = queue.withLock { queue -> ([Job], [[UInt8]]) in
                let count = min(queue.jobs.count, Self.batchLimit)
                defer { queue.jobs.removeFirst(count) }
                return (Array(queue.jobs.prefix(count)), queue.scripts)
            }
            if batch.isEmpty {
                loop.pause(milliseconds: 1_000)
                continue
            }
            if let until = downUntil, ContinuousClock.now < until {
                fail(batch, RedisError(.connection, "Redis is unreachable"))
                continue
            }
            do {
                if connection == nil || connection?.isBroken == true {
                    shas = [:]
                    connection = try RedisConnection(url: url, timeout: timeout, clientName: "image-app-async")
                }
                try send(batch, on: connection!, scripts: scripts, shas: &shas)
                downUntil = nil
            } catch {
                connection = nil
                if downUntil == nil { logger.warning("asynchronous Redis unavailable", metadata: ["error": "\(error)"]) }
                downUntil = ContinuousClock.now + Self.retryInterval
                fail(batch, error)
            }
        }
    }

    /// One round trip for the batch (two when scripts must be loaded first, three when Redis forgot one).
    private func send(_ batch: [Job], on connection: RedisConnection, scripts: [[UInt8]], shas: inout [Int: [UInt8]]) throws(RedisError) {
        let missing = Set(batch.compactMap(\.script)).filter { shas[$0] == nil }.sorted()
        try load(missing, on: connection, scripts: scripts, shas: &shas)
        var replies = try connection.pipeline(batch.map { command(for: $0, shas: shas) })
        // A server that lost its scripts (restart, SCRIPT FLUSH): load them again and retry those commands once.
        let forgotten = batch.indices.filter { batch[$0].script != nil && replies[$0].isNoScript }
        if !forgotten.isEmpty {
            try load(Set(forgotten.compactMap { batch[$0].script }).sorted(), on: connection, scripts: scripts, shas: &shas)
            let retried = try connection.pipeline(forgotten.map { command(for: batch[$0], shas: shas) })
            for (index, reply) in zip(forgotten, retried) { replies[index] = reply }
        }
        for (job, reply) in zip(batch, replies) { job.completion(.success(reply)) }
    }

    private func load(_ ids: [Int], on connection: RedisConnection, scripts: [[UInt8]], shas: inout [Int: [UInt8]]) throws(RedisError) {
        guard !ids.isEmpty else { return }
        let replies = try connection.pipeline(ids.map { [Array("SCRIPT".utf8), Array("LOAD".utf8), scripts[$0]] })
        for (id, reply) in zip(ids, replies) {
            guard let sha = reply.bytes else { throw RedisError(.server, "SCRIPT LOAD failed: \(reply)") }
            shas[id] = sha
        }
    }

    private func command(for job: Job, shas: [Int: [UInt8]]) -> [[UInt8]] {
        guard let script = job.script, let sha = shas[script] else { return job.arguments }
        return [Array("EVALSHA".utf8), sha] + job.arguments
    }

    private func fail(_ jobs: [Job], _ error: RedisError) {
        for job in jobs { job.completion(.failure(error)) }
    }

    private func failAll(_ error: RedisError) {
        let jobs = queue.withLock { queue in
            defer { queue.jobs = [] }
            return queue.jobs
        }
        fail(jobs, error)
    }
}

extension RedisReply {
    /// `NOSCRIPT No matching script`: the server does not know an `EVALSHA`'s script.
    fileprivate var isNoScript: Bool {
        if case .error(let message) = self { return message.hasPrefix("NOSCRIPT") }
        return false
    }
}
