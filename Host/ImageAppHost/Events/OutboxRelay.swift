import Dispatch
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Moves committed events from the `ia_outbox` table to the Redis stream and in-process handlers.
///
/// Woken after each commit that raised events, and polling every half second otherwise (which is
/// how events committed by a process that died before publishing still go out). Several hosts
/// may relay at once: `FOR UPDATE SKIP LOCKED` gives each row to one of them. A row is marked
/// published in the same transaction that read it, after the stream accepted it, so a crash in
/// between publishes it again — at least once — and never loses it.
///
/// A `Service`: its loop runs on a thread of its own (``BlockingLoop``). On graceful shutdown it
/// publishes what the last requests and jobs committed, then returns; it comes before the
/// consumers, jobs and HTTP server in the service group, so it is stopped after them.
final class OutboxRelay: Service, Sendable {
    private let database: PostgresPool
    private let redis: RedisPool?
    private let stream: String
    private let inProcess: [EventBus.Handler]
    private let logger: Logger
    /// Shared with the command bus, which wakes it after each commit that wrote events.
    private let loop: BlockingLoop
    /// Most entries the stream keeps (approximately); consumers read far behind this.
    static let streamLength = 100_000

    init(database: PostgresPool, redis: RedisPool?, stream: String, inProcess: [EventBus.Handler], loop: BlockingLoop, logger: Logger) {
        self.database = database
        self.redis = redis
        self.stream = stream
        self.inProcess = inProcess
        self.loop = loop
        self.logger = logger
    }

    func run() async {
        await loop.run { [self] in relayUntilStopped() }
        logger.info("event relay stopped")
    }

    /// Relays on a thread of its own while a one-off plugin command runs (no service group runs
    /// then), so the events the command commits go out as promptly as a server's; the returned
    /// function stops it after publishing what remains.
    func startForCommand() -> @Sendable () -> Void {
        loop.start { [self] in relayUntilStopped() }
    }

    /// The relay's loop: publish, then wait for a commit's wake-up or the next poll; on a stop
    /// request, publish what remains and return.
    private func relayUntilStopped() {
        var lastCleanup = Date.distantPast
        while !loop.isStopping {
            do {
                // Drain: keep publishing while full batches come back.
                while try publishBatch() == 100, !loop.isStopping {}
                if Date().timeIntervalSince(lastCleanup) > 600 {
                    try cleanUp()
                    lastCleanup = Date()
                }
            } catch {
                logger.warning("event relay: will retry", metadata: ["error": "\(error)"])
            }
            loop.pause(milliseconds: 500)
        }
        publishRemaining()
    }

    /// Publishes every unpublished event now, on the calling thread (shutdown, and one-off
    /// commands that run no service group).
    func publishRemaining() {
        do {
            var published = 0
            var batch = 0
            repeat {
                batch = try publishBatch()
                published += batch
            } while batch == 100
            if published > 0 { logger.info("event relay: published the remaining events", metadata: ["count": "\(published)"]) }
        } catch {
            logger.warning("event relay: could not publish the remaining events; the next relay will", metadata: ["error": "\(error)"])
        }
    }

    /// Publishes up to 100 unpublished events; returns how many.
    private func publishBatch() throws -> Int {
        let records = try database.withConnection { connection -> [EventRecord] in
            try connection.execute("BEGIN")
            do {
                let rows = try connection.query(
                    """
                    SELECT id, event_id, type, payload, source,
                           to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
                    FROM ia_outbox WHERE published_at IS NULL ORDER BY id LIMIT 100 FOR UPDATE SKIP LOCKED
                    """
                )
                let records = (0..<rows.rowCount).map { row in
                    EventRecord(
                        id: rows.string(row, 1) ?? "",
                        type: rows.string(row, 2) ?? "",
                        payload: rows.string(row, 3) ?? "null",
                        source: rows.string(row, 4) ?? "",
                        occurredAt: rows.string(row, 5) ?? ""
                    )
                }
                if !records.isEmpty {
                    try appendToStream(records)
                    let ids = (0..<rows.rowCount).compactMap { rows.string($0, 0) }.joined(separator: ",")
                    try connection.query("UPDATE ia_outbox SET published_at = now() WHERE id = ANY($1::bigint[])", [.text("{\(ids)}")])
                }
                try connection.execute("COMMIT")
                return records
            } catch {
                try? connection.execute("ROLLBACK")
                throw error
            }
        }
        for record in records {
            for handler in inProcess where handler.matches(record.type) {
                if let failure = record.deliver(to: handler, attempt: 1) {
                    logger.warning(
                        "in-process event handler failed",
                        metadata: ["handler": "\(handler.group)", "event_id": "\(record.id)", "error": "\(failure)"]
                    )
                }
            }
        }
        return records.count
    }

    private func appendToStream(_ records: [EventRecord]) throws {
        guard let redis else { return }
        let commands: [[[UInt8]]] = records.map { record in
            [
                "XADD", stream, "MAXLEN", "~", String(Self.streamLength), "*",
                "id", record.id, "type", record.type, "payload", record.payload,
                "source", record.source, "occurred_at", record.occurredAt,
            ].map { Array($0.utf8) }
        }
        let replies = try redis.withConnection { try $0.pipeline(commands) }
        if let failure = replies.first(where: { $0.errorMessage != nil }) {
            throw RedisError(.server, failure.errorMessage ?? "XADD failed")
        }
    }

    /// Published rows are kept a day for inspection, then deleted.
    private func cleanUp() throws {
        try database.withConnection { connection in
            _ = try connection.query("DELETE FROM ia_outbox WHERE published_at < now() - interval '1 day'")
        }
    }
}
