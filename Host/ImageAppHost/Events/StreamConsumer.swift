import Foundation
import Logging
import ServiceLifecycle

/// Feeds one worker event handler from its event stream through its consumer group.
///
/// The stream is the handler's family stream (``EventStreams``: `like.*` and `like.created` read
/// `<events_stream>:family:like`), or the main stream for a `*` handler. New entries come with
/// `XREADGROUP ... >`. A failed delivery stays pending; every half second the consumer looks at
/// the group's pending entries (of any consumer, so a dead process's entries are reclaimed too)
/// and claims those idle for longer than their backoff (`retryBase` doubling per delivery, capped
/// at a minute) to deliver them again. An entry delivered `maxAttempts` times goes to
/// `<events_stream>:dead` with the last error, and is acknowledged. Entries of types the handler
/// does not want, and those it handled, are acknowledged together, one `XACK` per read (up to 64
/// entries).
///
/// **Legacy drain.** Before family streams, every group read the main stream. A family handler
/// whose group still exists there first delivers what that group has not: its pending entries and
/// the unread ones older than its family stream's first event (the `since` hash); later ones are in
/// the family stream. Then it deletes the old group.
///
/// A `Service` whose loop runs on a thread of its own (``BlockingLoop``); a stop request is seen
/// within one `BLOCK` (half a second) and the event being delivered finishes first.
final class StreamConsumer: Service, Sendable {
    private let handler: EventBus.Handler
    private let redis: RedisPool
    private let streams: EventStreams
    /// The stream this handler reads.
    private let stream: String
    private let maxAttempts: Int
    private let retryBase: Double
    private let logger: Logger
    private let consumerName: String
    private let loop: BlockingLoop

    init(handler: EventBus.Handler, redis: RedisPool, streams: EventStreams, maxAttempts: Int, retryBase: Double, logger: Logger) {
        self.handler = handler
        self.redis = redis
        self.streams = streams
        self.stream = streams.stream(forHandlerOf: handler.eventType)
        self.maxAttempts = max(1, maxAttempts)
        self.retryBase = retryBase
        var logger = logger
        logger[metadataKey: "event_handler"] = .string(handler.group)
        self.logger = logger
        self.consumerName = "\(ProcessInfo.processInfo.hostName)-\(getpid())-\(UUID().uuidString.prefix(8))"
        self.loop = BlockingLoop(name: "image-app consumer \(handler.group)")
    }

    func run() async {
        await loop.run { [self] in
            var connection: RedisConnection?
            var lastRetryScan = Date.distantPast
            var legacy = false
            while !loop.isStopping {
                do {
                    if connection == nil || connection?.isBroken == true {
                        connection = try RedisConnection(url: redis.url, timeout: .seconds(5), clientName: "image-app-consumer")
                        legacy = try createGroup(on: connection!)
                    }
                    guard let connection else { continue }
                    if legacy {
                        legacy = try drainLegacy(on: connection)
                        continue
                    }
                    try readNew(on: connection)
                    if Date().timeIntervalSince(lastRetryScan) >= 0.5, !loop.isStopping {
                        try retryPending(on: connection)
                        lastRetryScan = Date()
                    }
                } catch {
                    logger.warning("event consumer: will retry", metadata: ["error": "\(error)"])
                    connection = nil
                    loop.pause(milliseconds: 1000)
                }
            }
        }
        logger.info("event consumer stopped")
    }

    // MARK: Reading

    /// Creates the handler's group on its stream (from the stream's start) unless it exists; whether a legacy group
    /// on the main stream is left to drain first.
    private func createGroup(on connection: RedisConnection) throws -> Bool {
        do {
            _ = try connection.command("XGROUP", "CREATE", stream, handler.group, "0", "MKSTREAM")
        } catch  where error.serverErrorPrefix == "BUSYGROUP" {
            // Another process created it: fine.
        }
        return try hasLegacyGroup(on: connection)
    }

    /// Whether the handler reads a family stream and its group still exists on the main stream.
    private func hasLegacyGroup(on connection: RedisConnection) throws -> Bool {
        guard stream != streams.main else { return false }
        return try connection.streamGroups(streams.main).contains { $0["name"]?.stringValue == handler.group }
    }

    private func readNew(on connection: RedisConnection) throws {
        let entries = try read(stream, blocking: true, on: connection)
        // One XACK for the read: a family stream holds types the handler may not want, and acknowledging entries one
        // by one cost a round trip each.
        var done: [String] = []
        for entry in entries where process(entry, attempt: 1, on: connection, acknowledge: false) {
            done.append(entry.id)
        }
        acknowledge(done, in: stream, on: connection)
    }

    /// New entries of `stream` for the group, up to 64; waits up to half a second for some when `blocking`.
    private func read(_ stream: String, blocking: Bool, on connection: RedisConnection) throws -> [(id: String, record: EventRecord)] {
        let wait = blocking ? ["BLOCK", "500"] : []
        let words = ["XREADGROUP", "GROUP", handler.group, consumerName, "COUNT", "64"] + wait + ["STREAMS", stream, ">"]
        return Self.entries(of: try connection.command(words.map { Array($0.utf8) }))
    }

    /// Acknowledges entries in one command. A failure leaves them pending: delivered again, which handlers allow.
    private func acknowledge(_ ids: [String], in stream: String, on connection: RedisConnection) {
        guard !ids.isEmpty else { return }
        _ = try? connection.command((["XACK", stream, handler.group] + ids).map { Array($0.utf8) })
    }

    /// Claims pending entries of `stream` whose backoff has passed and delivers them again.
    private func retryPending(in stream: String? = nil, on connection: RedisConnection) throws {
        let stream = stream ?? self.stream
        let minimumIdle = Int(retryBase * 1000)
        let pending = try connection.command("XPENDING", stream, handler.group, "IDLE", String(minimumIdle), "-", "+", "32")
        for item in pending.array ?? [] {
            guard let fields = item.array, fields.count >= 4, let id = fields[0].stringValue,
                let idle = fields[2].int, let deliveries = fields[3].int
            else { continue }
            guard Double(idle) / 1000 >= backoff(afterDeliveries: Int(deliveries)) else { continue }
            let claimed = try connection.command("XCLAIM", stream, handler.group, consumerName, String(idle), id)
            for entry in Self.entryList(claimed) {
                process(entry, attempt: Int(deliveries) + 1, in: stream, on: connection)
            }
        }
    }

    // MARK: Legacy drain

    /// One step of draining the handler's old group on the main stream; whether there is more to drain.
    ///
    /// Delivers the group's unread entries of the handler's types older than the family stream's first event, and
    /// acknowledges the rest; retries its pending entries (its own failures, and a stopped process's) with the usual
    /// backoff. With nothing unread and nothing pending, it deletes the group.
    private func drainLegacy(on connection: RedisConnection) throws -> Bool {
        let family = EventStreams.family(ofType: handler.eventType)
        let since = try connection.command("HGET", streams.since, family).stringValue.flatMap(StreamEntryID.init)
        let entries = try read(streams.main, blocking: false, on: connection)
        var done: [String] = []
        for entry in entries {
            // From `since` on, the family stream has the entry too (same id), and the handler reads it there.
            let copied = since.map { since in StreamEntryID(entry.id).map { $0 >= since } ?? false } ?? false
            if copied || process(entry, attempt: 1, in: streams.main, on: connection, acknowledge: false) {
                done.append(entry.id)
            }
        }
        acknowledge(done, in: streams.main, on: connection)
        try retryPending(in: streams.main, on: connection)
        guard entries.isEmpty else { return true }
        let summary = try connection.command("XPENDING", streams.main, handler.group)
        guard summary.array?.first?.int == 0 else {
            loop.pause(milliseconds: 500)
            return true
        }
        _ = try connection.command("XGROUP", "DESTROY", streams.main, handler.group)
        logger.notice(
            "event consumer: drained the handler's group on the main stream; it reads its family stream now",
            metadata: ["stream": "\(stream)"]
        )
        return false
    }

    private func backoff(afterDeliveries deliveries: Int) -> Double {
        min(60, retryBase * pow(2, Double(max(0, deliveries - 1))))
    }

    // MARK: Delivery

    /// Delivers an entry if the handler wants its type. Whether it is done with (not wanted, or handled): then it is
    /// acknowledged here when `acknowledge`, else by the caller.
    @discardableResult
    private func process(
        _ entry: (id: String, record: EventRecord),
        attempt: Int,
        in stream: String? = nil,
        on connection: RedisConnection,
        acknowledge: Bool = true
    ) -> Bool {
        let stream = stream ?? self.stream
        guard handler.matches(entry.record.type) else {
            if acknowledge { self.acknowledge([entry.id], in: stream, on: connection) }
            return true
        }
        if attempt > maxAttempts {
            deadLetter(entry, attempts: attempt - 1, error: "delivered \(attempt - 1) times", from: stream, on: connection)
            return false
        }
        guard let failure = entry.record.deliver(to: handler, attempt: attempt) else {
            if acknowledge { self.acknowledge([entry.id], in: stream, on: connection) }
            return true
        }
        logger.warning(
            "event handler failed",
            metadata: ["event_id": "\(entry.record.id)", "type": "\(entry.record.type)", "attempt": "\(attempt)", "error": "\(failure)"]
        )
        if attempt >= maxAttempts {
            deadLetter(entry, attempts: attempt, error: failure, from: stream, on: connection)
        }
        // Otherwise it stays pending and is claimed again after its backoff.
        return false
    }

    private func deadLetter(
        _ entry: (id: String, record: EventRecord),
        attempts: Int,
        error: String,
        from stream: String,
        on connection: RedisConnection
    ) {
        let record = entry.record
        do {
            _ = try connection.command(
                "XADD",
                streams.dead,
                "MAXLEN",
                "~",
                "100000",
                "*",
                "id",
                record.id,
                "type",
                record.type,
                "payload",
                record.payload,
                "source",
                record.source,
                "occurred_at",
                record.occurredAt,
                "group",
                handler.group,
                "attempts",
                String(attempts),
                "error",
                error
            )
            _ = try connection.command("XACK", stream, handler.group, entry.id)
            logger.error("event moved to the dead-letter stream", metadata: ["event_id": "\(record.id)", "attempts": "\(attempts)"])
        } catch {
            logger.error("could not dead-letter an event; it stays pending", metadata: ["event_id": "\(record.id)", "error": "\(error)"])
        }
    }

    // MARK: Parsing replies

    /// Entries of an XREADGROUP reply: [[stream, [[id, [field, value, ...]], ...]]].
    static func entries(of reply: RedisReply) -> [(id: String, record: EventRecord)] {
        (reply.array ?? []).flatMap { streamReply -> [(id: String, record: EventRecord)] in
            guard let parts = streamReply.array, parts.count == 2 else { return [] }
            return entryList(parts[1])
        }
    }

    /// Entries of a list reply: [[id, [field, value, ...]], ...] (deleted entries come as null).
    static func entryList(_ reply: RedisReply) -> [(id: String, record: EventRecord)] {
        (reply.array ?? []).compactMap { item in
            guard let parts = item.array, parts.count == 2, let id = parts[0].stringValue, let fields = parts[1].array else {
                return nil
            }
            var values: [String: String] = [:]
            var index = 0
            while index + 1 < fields.count {
                if let key = fields[index].stringValue { values[key] = fields[index + 1].stringValue ?? "" }
                index += 2
            }
            let record = EventRecord(
                id: values["id"] ?? id,
                type: values["type"] ?? "",
                payload: values["payload"] ?? "null",
                source: values["source"] ?? "",
                occurredAt: values["occurred_at"] ?? ""
            )
            return (id, record)
        }
    }
}
