import Dispatch
import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Moves committed events from the `ia_outbox` table to the Redis streams (``EventStreams``) and in-process handlers.
///
/// Two ways in: the rows this process committed, handed over by id right after each commit (``OutboxHandoff``), and
/// a poll every half second for unpublished rows of any process — how events committed by a process that died before
/// publishing still go out. Several hosts may relay at once: `FOR UPDATE SKIP LOCKED` gives each row to one of them. A
/// row is marked published in the same transaction that claims it, which commits only after the stream accepted it,
/// so a crash in between publishes it again — at least once — and never loses it.
///
/// A `Service`: its loop runs on a thread of its own (``BlockingLoop``). On graceful shutdown it
/// publishes what the last requests and jobs committed, then returns; it comes before the
/// consumers, jobs and HTTP server in the service group, so it is stopped after them.
final class OutboxRelay: Service, Sendable {
    private let database: PostgresPool
    private let redis: RedisPool?
    private let streams: EventStreams
    private let inProcess: [EventBus.Handler]
    private let logger: Logger
    /// Ids committed by this process's command bus; its loop is the relay's.
    private let handoff: OutboxHandoff
    private var loop: BlockingLoop { handoff.loop }
    /// Most entries the stream keeps (approximately); consumers read far behind this.
    static let streamLength = 100_000
    /// Most rows one transaction publishes.
    static let batchSize = 100
    /// How often unpublished rows of any process are looked for.
    static let pollMilliseconds: Int64 = 500

    init(database: PostgresPool, redis: RedisPool?, streams: EventStreams, inProcess: [EventBus.Handler], handoff: OutboxHandoff, logger: Logger) {
        self.database = database
        self.redis = redis
        self.streams = streams
        self.inProcess = inProcess
        self.handoff = handoff
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

    /// The relay's loop: publish what this process committed as it is handed over, and poll for everyone's unpublished
    /// rows every half second; on a stop request, publish what remains and return.
    private func relayUntilStopped() {
        var lastCleanup = ContinuousClock.now - .seconds(3600)
        var lastPoll = ContinuousClock.now - .seconds(1)
        // After a failure, handed-over ids are left to the poll for a while instead of failing again at once.
        var quietUntil = ContinuousClock.now
        while !loop.isStopping {
            do {
                let committed = handoff.take()
                if !committed.isEmpty, ContinuousClock.now >= quietUntil {
                    for start in stride(from: 0, to: committed.count, by: Self.batchSize) {
                        try publish(.committed(Array(committed[start..<min(start + Self.batchSize, committed.count)])))
                    }
                }
                if ContinuousClock.now - lastPoll >= .milliseconds(Self.pollMilliseconds) {
                    lastPoll = ContinuousClock.now
                    // Drain: keep publishing while full batches come back.
                    while try publish(.unpublished) == Self.batchSize, !loop.isStopping {}
                }
                if ContinuousClock.now - lastCleanup > .seconds(600) {
                    try cleanUp()
                    lastCleanup = ContinuousClock.now
                }
            } catch {
                logger.warning("event relay: will retry", metadata: ["error": "\(error)"])
                quietUntil = ContinuousClock.now + .milliseconds(Self.pollMilliseconds)
            }
            let sincePoll = Int64((ContinuousClock.now - lastPoll) / .milliseconds(1))
            loop.pause(milliseconds: max(1, Self.pollMilliseconds - sincePoll))
        }
        publishRemaining()
    }

    /// Publishes every unpublished event now, on the calling thread (shutdown, and one-off
    /// commands that run no service group).
    func publishRemaining() {
        do {
            _ = handoff.take()
            var published = 0
            var batch = 0
            repeat {
                batch = try publish(.unpublished)
                published += batch
            } while batch == Self.batchSize
            if published > 0 { logger.info("event relay: published the remaining events", metadata: ["count": "\(published)"]) }
        } catch {
            logger.warning("event relay: could not publish the remaining events; the next relay will", metadata: ["error": "\(error)"])
        }
    }

    /// Which rows a transaction claims.
    private enum Claim {
        /// These rows, committed by this process (those another relay took already are skipped).
        case committed([Int64])
        /// The oldest unpublished rows of any process, up to a batch.
        case unpublished

        var sql: String {
            let rows =
                switch self {
                case .committed: "id = ANY($1::bigint[]) AND published_at IS NULL"
                case .unpublished: "published_at IS NULL ORDER BY id LIMIT \(OutboxRelay.batchSize)"
                }
            return """
                UPDATE ia_outbox SET published_at = now()
                WHERE id IN (SELECT id FROM ia_outbox WHERE \(rows) FOR UPDATE SKIP LOCKED)
                RETURNING id, event_id, type, payload, source,
                    to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')
                """
        }

        var parameters: [PostgresValue] {
            switch self {
            case .committed(let ids): [.text("{" + ids.map(String.init).joined(separator: ",") + "}")]
            case .unpublished: []
            }
        }
    }

    /// Claims rows, appends them to the stream and commits them as published; then runs the in-process handlers.
    /// Returns how many rows it published.
    @discardableResult
    private func publish(_ claim: Claim) throws -> Int {
        let records = try database.withConnection { connection -> [EventRecord] in
            try connection.execute("BEGIN")
            do {
                // Planned on each run: a plan cached while the table was nearly empty would scan it whole once it
                // holds a day of rows.
                let rows = try connection.queryUnprepared(claim.sql, claim.parameters)
                let records = (0..<rows.rowCount).map { row in
                    (
                        id: rows.int(row, 0) ?? 0,
                        record: EventRecord(
                            id: rows.string(row, 1) ?? "",
                            type: rows.string(row, 2) ?? "",
                            payload: rows.string(row, 3) ?? "null",
                            source: rows.string(row, 4) ?? "",
                            occurredAt: rows.string(row, 5) ?? ""
                        )
                    )
                }
                .sorted { $0.id < $1.id }.map(\.record)
                if !records.isEmpty { try appendToStream(records) }
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

    /// Appends `records` to the main stream and each to its family's stream with the same id, in one script (so a
    /// family stream never holds an event the main stream lacks), and notes when each family stream began.
    private func appendToStream(_ records: [EventRecord]) throws {
        guard let redis else { return }
        var keys = [streams.main, streams.since]
        var keyIndex: [String: Int] = [:]
        var arguments = [String(Self.streamLength)]
        for record in records {
            let family = EventStreams.family(ofType: record.type)
            let index =
                keyIndex[family]
                ?? {
                    keys.append(streams.family(family))
                    keyIndex[family] = keys.count
                    return keys.count
                }()
            arguments += [String(index), family, record.id, record.type, record.payload, record.source, record.occurredAt]
        }
        let command = ["EVAL", Self.appendScript, String(keys.count)] + keys + arguments
        try redis.withConnection { _ = try $0.command(command.map { Array($0.utf8) }) }
    }

    /// KEYS: the main stream, the `since` hash, the family streams; ARGV: the length to trim to, then per event the
    /// index of its family stream in KEYS, its family and its fields. A family stream whose last id is ahead of the
    /// main stream's (the main stream was deleted) gets an id of its own.
    private static let appendScript = """
        local events = (#ARGV - 1) / 7
        local noted = {}
        for i = 0, events - 1 do
            local at = 1 + i * 7
            local stream = KEYS[tonumber(ARGV[at + 1])]
            local fields = {'id', ARGV[at + 3], 'type', ARGV[at + 4], 'payload', ARGV[at + 5],
                'source', ARGV[at + 6], 'occurred_at', ARGV[at + 7]}
            local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', unpack(fields))
            local added = redis.pcall('XADD', stream, 'MAXLEN', '~', ARGV[1], id, unpack(fields))
            if type(added) == 'table' and added.err then
                redis.call('XADD', stream, 'MAXLEN', '~', ARGV[1], '*', unpack(fields))
            end
            if not noted[stream] then
                redis.call('HSETNX', KEYS[2], ARGV[at + 2], id)
                noted[stream] = true
            end
        end
        return events
        """

    /// Published rows are kept a day for inspection, then deleted.
    private func cleanUp() throws {
        try database.withConnection { connection in
            _ = try connection.query("DELETE FROM ia_outbox WHERE published_at < now() - interval '1 day'")
        }
    }
}
