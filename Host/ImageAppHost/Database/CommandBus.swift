import CImageAppPlugin
import Foundation
import Logging
import Metrics

/// Commands, queries and migrations that plugins registered, and their dispatch.
///
/// A command runs in one transaction on a pooled connection and commits only when its handler
/// returns `IA_OK`. Transient failures (serialization failure, deadlock, lost connection) roll
/// back and run the handler again from the start, with exponential backoff and full jitter, up
/// to `maxAttempts`; then the caller gets `IA_ERR_UNAVAILABLE` (a 503 with `Retry-After`).
/// A service command (`IA_COMMAND_NO_TRANSACTION`, ABI 1.13) runs once, with no connection at all.
///
/// The tables are filled while plugins run `init` and frozen before they start (``Freezable``);
/// everything else is given at construction.
final class CommandBus: Sendable {
    /// `@unchecked Sendable`: `function` and `userData` are the plugin's, which the ABI requires
    /// to be callable from any thread for the life of the process; the rest is immutable.
    struct Handler: @unchecked Sendable {
        let plugin: PluginContext
        let name: String
        let flags: UInt32
        let function: ia_command_fn
        let userData: UnsafeMutableRawPointer?
    }

    struct Migration: Sendable {
        let version: Int64
        let name: String
        let sql: String
    }

    /// What a dispatch ended with.
    enum Outcome {
        case ok(String?)
        case rejected(CommandFailure)
        case failed(status: ia_status, message: String, sqlState: String?)
    }

    /// What plugins registered.
    struct Tables: Sendable {
        var commands: [String: Handler] = [:]
        var queries: [String: Handler] = [:]
        /// Migrations per plugin, in registration (= version) order.
        var migrations: [String: [Migration]] = [:]
    }

    private let tables = Freezable(Tables())
    let services: HostServices
    /// Gets the outbox ids of each commit that wrote events, so the relay publishes them at once.
    private let outbox: OutboxHandoff
    /// Test hook (IMAGEAPP_FAULT_EXIT_AFTER_COMMIT=1): exit right after a commit that wrote
    /// events, before they are published — the crash the outbox exists for.
    let exitAfterCommit = ProcessInfo.processInfo.environment["IMAGEAPP_FAULT_EXIT_AFTER_COMMIT"] == "1"
    let maxAttempts: Int
    let logger: Logger

    init(services: HostServices, outbox: OutboxHandoff, maxAttempts: Int, logger: Logger) {
        self.services = services
        self.outbox = outbox
        self.maxAttempts = maxAttempts
        self.logger = logger
    }

    /// Migrations per plugin, in registration (= version) order.
    var migrations: [String: [Migration]] { tables.value.migrations }

    /// Ends registration: the tables are read without a lock from now on.
    func freeze() {
        tables.freeze()
    }

    // MARK: Registration

    func add(_ handler: Handler, isQuery: Bool) -> Result<Void, RegistrationError> {
        tables.update { $0.add(handler, isQuery: isQuery) }
            ?? .failure(.wrongPhase("\(isQuery ? "queries" : "commands") are registered only in init"))
    }

    func addMigration(_ migration: Migration, plugin: String) -> Result<Void, RegistrationError> {
        tables.update { $0.addMigration(migration, plugin: plugin) } ?? .failure(.wrongPhase("migrations are registered only in init"))
    }

    // MARK: Dispatch

    /// Runs command or query `name`; blocks the calling thread.
    func dispatch(_ name: String, payload: String, isQuery: Bool) -> Outcome {
        let registered = tables.value
        guard let handler = isQuery ? registered.queries[name] : registered.commands[name] else {
            return .failed(status: IA_ERR_NOT_FOUND, message: "no \(isQuery ? "query" : "command") named '\(name)' is registered", sqlState: nil)
        }
        if handler.flags & UInt32(IA_COMMAND_NO_TRANSACTION) != 0 { return runService(handler, payload: payload) }
        if let outer = nestingSession(forQuery: isQuery) { return runNested(handler, payload: payload, in: outer) }
        let pool = isQuery ? (services.readDatabase ?? services.database) : services.database
        guard let pool else {
            return .failed(status: IA_ERR_UNAVAILABLE, message: "no database is configured (host.database_url)", sqlState: nil)
        }
        let begin = handler.flags & UInt32(IA_COMMAND_SERIALIZABLE) != 0 ? "BEGIN ISOLATION LEVEL SERIALIZABLE" : "BEGIN"
        var lastError: PostgresError?
        for attempt in 1...max(1, maxAttempts) {
            do {
                if isQuery { return try runQuery(handler, payload: payload, attempt: UInt32(attempt), pool: pool) }
                return try pool.withConnection { connection in
                    try run(handler, payload: payload, attempt: UInt32(attempt), begin: begin, on: connection)
                }
            } catch let error as PostgresError where error.isTransient {
                lastError = error
                Counter(label: "imageapp_command_retries_total", dimensions: [("command", name)]).increment()
                logger.notice(
                    "retrying after a transient database error",
                    metadata: ["command": "\(name)", "attempt": "\(attempt)", "error": "\(error)"]
                )
                if attempt < maxAttempts { Thread.sleep(forTimeInterval: Self.backoff(attempt: attempt)) }
            } catch let error as PostgresError {
                return .failed(
                    status: error.kind == .poolExhausted ? IA_ERR_UNAVAILABLE : IA_ERR_DATABASE,
                    message: error.description,
                    sqlState: error.sqlState
                )
            } catch {
                return .failed(status: IA_ERR_INTERNAL, message: "\(error)", sqlState: nil)
            }
        }
        return .failed(
            status: IA_ERR_UNAVAILABLE,
            message: "'\(name)' failed \(maxAttempts) times with transient errors; last: \(lastError.map { "\($0)" } ?? "unknown")",
            sqlState: lastError?.sqlState
        )
    }

    /// One attempt of a query: the handler, with a session that leases a connection and sends `BEGIN READ ONLY` on
    /// its first statement; COMMIT (or ROLLBACK) and the release only if it did. Throws transient errors for a retry.
    private func runQuery(_ handler: Handler, payload: String, attempt: UInt32, pool: PostgresPool) throws -> Outcome {
        var leased: PostgresConnection?
        let session = DatabaseSession(depth: 0) { () throws(PostgresError) in
            let connection = try pool.lease()
            leased = connection
            connection.sendWithNext("BEGIN READ ONLY")
            return connection
        }
        defer { if let leased { pool.release(leased) } }
        let context = CommandContext(name: handler.name, payload: payload, attempt: attempt, session: session)
        context.kind = .query
        let status = call(handler, context, in: session)
        let succeeded = status == IA_OK && session.failure == nil
        if let leased {
            if succeeded {
                do {
                    try leased.execute("COMMIT")
                } catch {
                    leased.rollback()
                    throw error
                }
            } else {
                leased.rollback()
            }
        }
        if succeeded { return .ok(context.result) }
        if let failure = session.failure, failure.isTransient { throw failure }
        return failure(handler, status: status, context: context, session: session)
    }

    /// One attempt of a command: BEGIN (sent with the handler's first statement), the handler, the outbox rows and
    /// COMMIT (in one round trip), or ROLLBACK. Throws transient errors for a retry.
    private func run(
        _ handler: Handler,
        payload: String,
        attempt: UInt32,
        begin: String,
        on connection: PostgresConnection
    ) throws -> Outcome {
        connection.sendWithNext(begin)
        let session = DatabaseSession(connection: connection)
        let context = CommandContext(name: handler.name, payload: payload, attempt: attempt, session: session)
        let status = call(handler, context, in: session)
        if status == IA_OK, session.failure == nil {
            let insert = OutboxInsert.step(context.events, source: handler.plugin.name)
            let results: [PostgresResult]
            do {
                results = try connection.pipeline((insert.map { [$0] } ?? []) + [.init(sql: "COMMIT")])
            } catch {
                connection.rollback()
                throw error
            }
            if insert != nil {
                if exitAfterCommit { _exit(99) }
                outbox.committed(results.first.map(OutboxInsert.ids) ?? [])
            }
            return .ok(context.result)
        }
        connection.rollback()
        // A statement that failed transiently makes the whole attempt retryable, whatever the
        // handler returned after it.
        if let failure = session.failure, failure.isTransient { throw failure }
        return failure(handler, status: status, context: context, session: session)
    }

    /// A service command: the handler, once, on this thread, without a connection (its session refuses statements), so
    /// slow work such as image processing holds no pooled connection and needs no database at all. Nothing to commit,
    /// so nothing to retry.
    private func runService(_ handler: Handler, payload: String) -> Outcome {
        let context = CommandContext(name: handler.name, payload: payload, attempt: 1, session: DatabaseSession(connection: nil))
        context.kind = .service
        let status = withExtendedLifetime(context) { handler.function(handler.userData, context.handle) }
        if status == IA_OK { return .ok(context.result) }
        if status == IA_ERR_REJECTED, let refusal = context.failure { return .rejected(refusal) }
        return .failed(
            status: status == IA_ERR_REJECTED ? IA_ERR_INTERNAL : status,
            message: "'\(handler.name)' of plugin '\(handler.plugin.name)' failed with status \(status)",
            sqlState: nil
        )
    }

    /// Full jitter over 10 ms doubling per attempt, capped at 500 ms.
    static func backoff(attempt: Int) -> TimeInterval {
        let ceiling = min(0.5, 0.01 * pow(2, Double(attempt - 1)))
        return Double.random(in: 0...ceiling)
    }
}

extension CommandBus.Tables {
    mutating func add(_ handler: CommandBus.Handler, isQuery: Bool) -> Result<Void, RegistrationError> {
        let kind = isQuery ? "query" : "command"
        if handler.flags & UInt32(IA_COMMAND_NO_TRANSACTION) != 0 {
            // A query already runs outside write transactions; a serializable transaction needs one.
            guard !isQuery, handler.flags & UInt32(IA_COMMAND_SERIALIZABLE) == 0 else {
                return .failure(
                    .invalid(
                        "\(kind) '\(handler.name)' of plugin '\(handler.plugin.name)': IA_COMMAND_NO_TRANSACTION is for commands only, without IA_COMMAND_SERIALIZABLE"
                    )
                )
            }
        }
        guard !handler.name.isEmpty, handler.name.utf8.count <= 128,
            handler.name.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2d || $0 == 0x2e || $0 == 0x5f })
        else {
            return .failure(.invalid("\(kind) name '\(handler.name)' must be 1-128 characters of a-z, 0-9, '.', '-' and '_'"))
        }
        let existing = isQuery ? queries[handler.name] : commands[handler.name]
        if let existing {
            return .failure(
                .conflict("\(kind) '\(handler.name)' of plugin '\(handler.plugin.name)' is already registered by plugin '\(existing.plugin.name)'")
            )
        }
        if isQuery { queries[handler.name] = handler } else { commands[handler.name] = handler }
        return .success(())
    }

    mutating func addMigration(_ migration: CommandBus.Migration, plugin: String) -> Result<Void, RegistrationError> {
        guard migration.version > 0 else {
            return .failure(.invalid("migration '\(migration.name)' of plugin '\(plugin)' has version \(migration.version); versions start at 1"))
        }
        if let last = migrations[plugin]?.last, last.version >= migration.version {
            return .failure(
                .invalid("migration \(migration.version) of plugin '\(plugin)' is registered after version \(last.version); versions must increase")
            )
        }
        guard !migration.sql.trimmingWhitespace().isEmpty else {
            return .failure(.invalid("migration \(migration.version) of plugin '\(plugin)' has no SQL"))
        }
        migrations[plugin, default: []].append(migration)
        return .success(())
    }
}
