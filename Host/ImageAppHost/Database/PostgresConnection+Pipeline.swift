import CLibPQ

// Several statements in one round trip (libpq pipeline mode, PostgreSQL 14+). A command's transaction used to cost
// a round trip for BEGIN, one per statement and one for COMMIT; a nested query two more for its savepoint. Sending
// BEGIN and SAVEPOINT with the first statement after them (``PostgresConnection/sendWithNext(_:)``) and the outbox rows
// with COMMIT saves those: on a busy machine every round trip is also a context switch on each side.

extension PostgresConnection {
    /// One statement of a pipeline: SQL with parameters (`$1`, ...).
    struct PipelineStep {
        var sql: String
        var parameters: [PostgresValue] = []
    }

    /// Runs the deferred statements and `steps` in order in one round trip and returns the results of `steps`.
    /// Statements are prepared once per connection, as ``query(_:_:)`` does (the preparation rides in the same round
    /// trip).
    ///
    /// The first failure stops the rest (PostgreSQL skips them) and is thrown after the pipeline is drained, so the
    /// connection is ready for the next statement (inside an aborted transaction, if one was open: roll it back).
    /// When the connection was idle (no transaction open) and a statement fails because its prepared form went away
    /// or went stale, the pipeline is run once more after forgetting it, as ``query(_:_:)`` does.
    @discardableResult
    func pipeline(_ steps: [PipelineStep]) throws(PostgresError) -> [PostgresResult] {
        let steps = deferred.map { PipelineStep(sql: $0) } + steps
        let skipped = deferred.count
        deferred = []
        return Array(try pipelineAll(steps).dropFirst(skipped))
    }

    private func pipelineAll(_ steps: [PipelineStep]) throws(PostgresError) -> [PostgresResult] {
        let startedIdle = PQtransactionStatus(handle) == PQTRANS_IDLE
        do {
            return try runPipeline(steps)
        } catch let error where startedIdle && error.isStalePreparedStatement {
            rollback()
            for step in steps { forgetPrepared(step.sql) }
            return try runPipeline(steps)
        }
    }

    private func runPipeline(_ steps: [PipelineStep]) throws(PostgresError) -> [PostgresResult] {
        guard PQenterPipelineMode(handle) == 1 else {
            throw PostgresError(kind: .connection, message: "cannot enter pipeline mode: \(Self.trimmed(PQerrorMessage(handle)))")
        }
        // What was sent, in order: a preparation (whose result is only checked) or a step (whose result is kept).
        var sent: [(step: Int, preparedName: String?)] = []
        var sendFailure: PostgresError?
        var newNames: [String: String] = [:]
        for (index, step) in steps.enumerated() {
            var name = statements[step.sql] ?? newNames[step.sql]
            if name == nil, statements.count + newNames.count < Self.statementCacheLimit {
                let newName = "ia_s\(statements.count + newNames.count + 1)"
                guard PQsendPrepare(handle, newName, step.sql, Int32(step.parameters.count), nil) == 1 else {
                    sendFailure = PostgresError(kind: .connection, message: Self.trimmed(PQerrorMessage(handle)))
                    break
                }
                sent.append((index, newName))
                newNames[step.sql] = newName
                name = newName
            }
            let queued: Int32
            do {
                queued = try withParameters(step.parameters) { count, values, lengths, formats in
                    if let name {
                        PQsendQueryPrepared(handle, name, count, values, lengths, formats, 0)
                    } else {
                        PQsendQueryParams(handle, step.sql, count, nil, values, lengths, formats, 0)
                    }
                }
            } catch {
                sendFailure = error
                break
            }
            guard queued == 1 else {
                sendFailure = PostgresError(kind: .connection, message: Self.trimmed(PQerrorMessage(handle)))
                break
            }
            sent.append((index, nil))
        }
        guard PQpipelineSync(handle) == 1 else {
            let error = PostgresError(kind: .connection, message: Self.trimmed(PQerrorMessage(handle)))
            PQexitPipelineMode(handle)
            throw error
        }

        var results: [PostgresResult] = []
        var firstError = sendFailure
        for entry in sent {
            // Each command's result, then NULL.
            let result = PQgetResult(handle)
            while let extra = PQgetResult(handle) { PQclear(extra) }
            if let result, PQresultStatus(result) == PGRES_PIPELINE_ABORTED {
                PQclear(result)
                continue
            }
            do {
                guard let checked = try check(result, sql: steps[entry.step].sql) else { continue }
                if let name = entry.preparedName {
                    statements[steps[entry.step].sql] = name
                } else {
                    results.append(checked)
                }
            } catch {
                if firstError == nil { firstError = error }
            }
        }
        // The sync point's own result, after which the connection may leave pipeline mode.
        while let result = PQgetResult(handle) {
            let isSync = PQresultStatus(result) == PGRES_PIPELINE_SYNC
            PQclear(result)
            if isSync { break }
        }
        PQexitPipelineMode(handle)
        if let firstError { throw firstError }
        guard results.count == steps.count else {
            throw PostgresError(kind: .connection, message: "PostgreSQL answered \(results.count) of \(steps.count) pipelined statements")
        }
        return results
    }
}
