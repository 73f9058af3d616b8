import ImageAppPlugin

extension SwiftDataPlugin {
    /// The commands `test-swift-data.add` and `test-swift-data.bump` and the query `test-swift-data.list`.
    func registerData(_ registrar: PluginRegistrar) throws {
        try registrar.dataCommand("test-swift-data.add", add)
        try registrar.dataCommand("test-swift-data.bump", serializable: true, bump)
        try registrar.query("test-swift-data.list", list)
    }

    /// `{"name": "…"}` → `{"id": "…", "attempt": n}`; 422 `validation_failed` for an empty name, 409
    /// `duplicate_item` for a taken one.
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
        } catch where error.isConflict {
            throw HTTPError.conflict("An item with this name exists.", code: "duplicate_item")
        }
        guard let id = rows.first?["id"] else {
            throw DatabaseError(status: .internal, message: "INSERT … RETURNING id returned no row")
        }
        return try .ok(AddOutput(id: id, attempt: command.attempt))
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
}

/// The command's payload.
struct AddInput: Codable {
    var name: String
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
