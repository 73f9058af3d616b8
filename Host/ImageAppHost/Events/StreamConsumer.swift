import Foundation
import Logging
import ServiceLifecycle

/// Feeds one worker event handler from the event stream through its consumer group.
///
/// New entries come with `XREADGROUP ... >`. A failed delivery stays pending; every half second
/// the consumer looks at the group's pending entries (of any consumer, so a dead process's
/// entries are reclaimed too) and claims those idle for longer than their backoff
/// (`retryBase` doubling per delivery, capped at a minute) to deliver them again. An entry
/// delivered `maxAttempts` times goes to `<stream>:dead` with the last error, and is
/// acknowledged. Entries of types the handler does not want, and those it handled, are
/// acknowledged together, one `XACK` per read (up to 64 entries).
///
/// A `Service` whose loop runs on a thread of its own (``BlockingLoop``); a stop request is seen
/// within one `BLOCK` (half a second) and the event being delivered finishes first.
final class StreamConsumer: Service, Sendable {
    private let handler: EventBus.Handler
    private let redis: RedisPool
    private let stream: String
    private let maxAttempts: Int
    private let retryBase: Double
    private let logger: Logger
    private let consumerName: String
    private let loop: BlockingLoop

    init(handler: EventBus.Handler, redis: RedisPool, stream: String, maxAttempts: Int, retryBase: Double, logger: Logger) {
        self.handler = handler
        self.redis = redis
        self.stream = stream
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
            while !loop.isStopping {
                do {
                    if connection == nil || connection?.isBroken == true {
                        connection = try RedisConnection(url: redis.url, timeout: .seconds(5), clientName: "image-app-consumer")
                        try createGroup(on: connection!)
                    }
                    guard let connection else { continue }
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

    private func createGroup(on connection: RedisConnection) throws {
        do {
            _ = try connection.command("XGROUP", "CREATE", stream, handler.group, "0", "MKSTREAM")
        } catch  where error.serverErrorPrefix == "BUSYGROUP" {
            // Another process created it: fine.
        }
    }

    private func readNew(on connection: RedisConnection) throws {
        let reply = try connection.command(
            "XREADGROUP",
            "GROUP",
            handler.group,
            consumerName,
            "COUNT",
            "64",
            "BLOCK",
            "500",
            "STREAMS",
            stream,
            ">"
        )
        // One XACK for the read: every handler reads every event, and most are not its type, so acknowledging them
        // one by one cost each handler a round trip per event (a fifth of a busy server's CPU went to these).
        var done: [String] = []
        for entry in Self.entries(of: reply) where process(entry, attempt: 1, on: connection, acknowledge: false) {
            done.append(entry.id)
        }
        acknowledge(done, on: connection)
    }

    /// Acknowledges entries in one command. A failure leaves them pending: delivered again, which handlers allow.
    private func acknowledge(_ ids: [String], on connection: RedisConnection) {
        guard !ids.isEmpty else { return }
        _ = try? connection.command((["XACK", stream, handler.group] + ids).map { Array($0.utf8) })
    }

    /// Claims pending entries whose backoff has passed and delivers them again.
    private func retryPending(on connection: RedisConnection) throws {
        let minimumIdle = Int(retryBase * 1000)
        let pending = try connection.command("XPENDING", stream, handler.group, "IDLE", String(minimumIdle), "-", "+", "32")
        for item in pending.array ?? [] {
            guard let fields = item.array, fields.count >= 4, let id = fields[0].stringValue,
                let idle = fields[2].int, let deliveries = fields[3].int
            else { continue }
            guard Double(idle) / 1000 >= backoff(afterDeliveries: Int(deliveries)) else { continue }
            let claimed = try connection.command("XCLAIM", stream, handler.group, consumerName, String(idle), id)
            for entry in Self.entryList(claimed) {
                process(entry, attempt: Int(deliveries) + 1, on: connection)
            }
        }
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
        on connection: RedisConnection,
        acknowledge: Bool = true
    ) -> Bool {
        guard handler.matches(entry.record.type) else {
            if acknowledge { self.acknowledge([entry.id], on: connection) }
            return true
        }
        if attempt > maxAttempts {
            deadLetter(entry, attempts: attempt - 1, error: "delivered \(attempt - 1) times", on: connection)
            return false
        }
        guard let failure = entry.record.deliver(to: handler, attempt: attempt) else {
            if acknowledge { self.acknowledge([entry.id], on: connection) }
            return true
        }
        logger.warning(
            "event handler failed",
            metadata: ["event_id": "\(entry.record.id)", "type": "\(entry.record.type)", "attempt": "\(attempt)", "error": "\(failure)"]
        )
        if attempt >= maxAttempts {
            deadLetter(entry, attempts: attempt, error: failure, on: connection)
        }
        // Otherwise it stays pending and is claimed again after its backoff.
        return false
    }

    private func deadLetter(_ entry: (id: String, record: EventRecord), attempts: Int, error: String, on connection: RedisConnection) {
        let record = entry.record
        do {
            _ = try connection.command(
                "XADD",
                stream + ":dead",
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
