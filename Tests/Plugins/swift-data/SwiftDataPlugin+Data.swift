import ImageAppPlugin

extension SwiftDataPlugin {
    /// The commands `test-swift-data.add`, `.bump`, `.record-seen` and `.record-sweep`, and the queries
    /// `test-swift-data.list` and `.raise-in-query`.
    func registerData(_ registrar: PluginRegistrar) throws {
        try registrar.dataCommand("test-swift-data.add", add)
        try registrar.dataCommand("test-swift-data.bump", serializable: true, bump)
        try registrar.dataCommand("test-swift-data.record-seen", recordSeen)
        try registrar.dataCommand("test-swift-data.record-sweep", recordSweep)
        try registrar.query("test-swift-data.list", list)
        try registrar.query("test-swift-data.raise-in-query", raiseInQuery)
    }

    /// `{"name": "…"}` → `{"id": "…", "attempt": n}`, raising `swift.item_added` `{"id", "name"}`; 422
    /// `validation_failed` for an empty name, 409 `duplicate_item` for a taken one. A name starting with
    /// `fail-after-raise` is refused (422 `failed_after_raise`) after the insert and the event: both are rolled back.
    private func add(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(AddInput.self)
        guard !input.name.isEmpty else {
            throw HTTPError.unprocessable(fields: ["name": "must not be empty"])
        }
        let rows: Rows
        do {
            rows = try command.db.execute(
                "INSERT INTO test_swift_data_items (name) VALUES ($1) RETURNING id",
                [.text(input.name)]
            )
        } catch  where error.isConflict {
            throw HTTPError.conflict("An item with this name exists.", code: "duplicate_item")
        }
        guard let id = rows.first?["id"] else {
            throw DatabaseError(status: .internal, message: "INSERT … RETURNING id returned no row")
        }
        // Delivered only if this transaction commits.
        try command.raise("swift.item_added", payload: ItemAdded(id: id, name: input.name))
        if input.name.hasPrefix("fail-after-raise") {
            throw HTTPError(status: 422, code: "failed_after_raise", message: "Refused after raising (test fixture).")
        }
        return try .ok(AddOutput(id: id, attempt: command.attempt))
    }

    /// `{"event_id", "name", "attempt"}`: records an event the "seen" handler handled, once per event id however
    /// often it is delivered (the idempotency rule). `{"recorded": true}` when this call inserted the row.
    private func recordSeen(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(SeenInput.self)
        let rows = try command.db.execute(
            "INSERT INTO test_swift_data_seen (event_id, name, attempt) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
            [.text(input.eventId), .text(input.name), .int(input.attempt)]
        )
        return try .ok(["recorded": rows.affectedRows == 1])
    }

    /// `{"job", "interval_ms", "started_at_ms"}`: records one run of the "sweep" job.
    private func recordSweep(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(SweepInput.self)
        try command.db.execute(
            "INSERT INTO test_swift_data_sweeps (job, interval_ms, started_at_ms) VALUES ($1, $2, $3)",
            [.text(input.job), .int(input.intervalMs), .int(input.startedAtMs)]
        )
        return .none
    }

    /// Read, wait, write under SERIALIZABLE: two at once conflict, the loser's statement throws a transient
    /// ``DatabaseError`` that propagates out, and the host runs the handler again. `{"value": n, "attempt": n}`.
    private func bump(_ command: CommandContext) throws -> CommandResult {
        let value = Int64(try command.db.execute("SELECT value FROM test_swift_data_counter").first?["value"] ?? "") ?? 0
        try command.db.execute("SELECT pg_sleep(0.3)")
        try command.db.execute("UPDATE test_swift_data_counter SET value = $1", [.int(value + 1)])
        return try .ok(BumpOutput(value: value + 1, attempt: command.attempt))
    }

    /// `{"items": [{"id": "…", "name": "…"}, …]}`, oldest first.
    private func list(_ query: CommandContext) throws -> CommandResult {
        let rows = try query.db.execute("SELECT id, name FROM test_swift_data_items ORDER BY id")
        return try .ok(ListOutput(items: rows.map { Item(id: $0["id"] ?? "", name: $0["name"] ?? "") }))
    }

    /// Tries to raise an event from a query, which the SDK refuses before asking the host:
    /// `{"status": "…", "message": "…"}` of the refusal.
    private func raiseInQuery(_ query: CommandContext) throws -> CommandResult {
        do {
            try query.raise("swift.query_raised")
        } catch {
            return try .ok(["status": "\(error.status)", "message": error.message])
        }
        return try .ok(["status": "ok", "message": ""])
    }
}

/// The command's payload.
struct AddInput: Codable {
    var name: String
}

/// The payload of `swift.item_added`.
struct ItemAdded: Codable {
    var id: String
    var name: String
}

/// The payload of `test-swift-data.record-seen`.
struct SeenInput: Codable {
    var eventId: String
    var name: String
    var attempt: UInt32
}

/// The payload of `test-swift-data.record-sweep`.
struct SweepInput: Codable {
    var job: String
    var intervalMs: Int64
    var startedAtMs: Int64
}

private struct AddOutput: Encodable {
    var id: String
    var attempt: UInt32
}

private struct BumpOutput: Encodable {
    var value: Int64
    var attempt: UInt32
}

private struct Item: Encodable {
    var id: String
    var name: String
}

private struct ListOutput: Encodable {
    var items: [Item]
}
