import CImageAppPlugin
import NIOPosix

// A query that a handler dispatches while it runs (posts.views asking profiles.summaries, media and the counts) used to
// take a second pooled connection while the handler held the first. Under load every connection could be held by an
// outer handler waiting for an inner one: the pool deadlocked until its timeout (64 concurrent feed or notification
// pages did it with 10 connections). Now a query dispatched from inside a handler runs in that handler's session, in its
// transaction, under a savepoint: no second connection, and it sees what the handler wrote. Like any query's, its
// savepoint (and the outer session's connection, when that is a query's too) is opened by its first statement only.

extension CommandBus {
    /// The session of the command or query handler running on this thread, if any.
    static let runningSession = ThreadSpecificVariable<DatabaseSession>()

    /// Calls `handler` with `context`, `session` being this thread's running session meanwhile (the previous one is put
    /// back after).
    func call(_ handler: Handler, _ context: CommandContext, in session: DatabaseSession) -> ia_status {
        let previous = Self.runningSession.currentValue
        Self.runningSession.currentValue = session
        defer { Self.runningSession.currentValue = previous }
        return withExtendedLifetime(context) { handler.function(handler.userData, context.handle) }
    }

    /// The session a query should run in instead of a pooled connection of its own: the running handler's, when
    /// there is one with a database and no failed statement.
    func nestingSession(forQuery isQuery: Bool) -> DatabaseSession? {
        guard isQuery, let outer = Self.runningSession.currentValue, outer.hasDatabase, outer.failure == nil else { return nil }
        return outer
    }

    /// Runs query `handler` inside `outer`'s transaction, under a savepoint set with its first statement (and released
    /// with the outer handler's next one), so a failing statement of the query does not abort the outer transaction.
    /// Not retried on its own: a transient failure reaches the outer handler, whose transaction is retried whole.
    func runNested(_ handler: Handler, payload: String, in outer: DatabaseSession) -> Outcome {
        // A name per depth: rolling back to one also drops the savepoints of deeper queries whose RELEASE is still
        // deferred.
        let depth = outer.depth + 1
        let name = "ia_nested_\(depth)"
        var savepoint: PostgresConnection?
        let session = DatabaseSession(depth: depth) { () throws(PostgresError) in
            let connection = try outer.open()
            connection.sendWithNext("SAVEPOINT \(name)")
            savepoint = connection
            return connection
        }
        let context = CommandContext(name: handler.name, payload: payload, attempt: 1, session: session)
        context.kind = .query
        let status = call(handler, context, in: session)
        if status == IA_OK, session.failure == nil {
            // Sent with the outer handler's next statement or its COMMIT.
            savepoint?.sendWithNext("RELEASE SAVEPOINT \(name)")
            return .ok(context.result)
        }
        if let savepoint {
            savepoint.deferred = []
            _ = try? savepoint.execute("ROLLBACK TO SAVEPOINT \(name); RELEASE SAVEPOINT \(name)")
        }
        return failure(handler, status: status, context: context, session: session)
    }

    /// What a handler that did not succeed ends with: its refusal, or the first failed statement, or its status.
    func failure(_ handler: Handler, status: ia_status, context: CommandContext, session: DatabaseSession) -> Outcome {
        if status == IA_ERR_REJECTED, let refusal = context.failure { return .rejected(refusal) }
        if status == IA_OK, let failure = session.failure {
            return .failed(
                status: failure.isUnavailable ? IA_ERR_UNAVAILABLE : IA_ERR_DATABASE,
                message: "a statement failed (\(failure)); the transaction was rolled back",
                sqlState: failure.sqlState
            )
        }
        let message = session.failure.map { "\($0)" } ?? "'\(handler.name)' of plugin '\(handler.plugin.name)' failed with status \(status)"
        return .failed(status: status == IA_ERR_REJECTED ? IA_ERR_INTERNAL : status, message: message, sqlState: session.failure?.sqlState)
    }
}
