/// The statement that writes a command's events to the outbox, just before its `COMMIT` and in the same round trip.
///
/// One statement for all of them, whatever their number, returning the rows' ids for the relay (``OutboxHandoff``):
/// a batch command (a group commit of likes) raises dozens, and a statement per event cost PostgreSQL a parse-free but
/// still per-statement execution each. Several events travel as one JSON array, kept in the order they were raised.
enum OutboxInsert {
    /// The step that inserts `events` raised by plugin `source`; nil when there are none.
    static func step(_ events: [(type: String, payload: String)], source: String) -> PostgresConnection.PipelineStep? {
        guard let first = events.first else { return nil }
        // clock_timestamp(), not now(): the moment just before COMMIT, not the transaction's start.
        if events.count == 1 {
            return PostgresConnection.PipelineStep(
                sql: """
                    INSERT INTO ia_outbox (event_id, type, payload, source, occurred_at)
                    VALUES ($1, $2, $3, $4, clock_timestamp()) RETURNING id
                    """,
                parameters: [.text(EventID.next()), .text(first.type), .text(first.payload), .text(source)]
            )
        }
        var list = "["
        for (index, event) in events.enumerated() {
            if index > 0 { list += "," }
            list += "{\"i\":\(JSONText.quote(EventID.next())),\"t\":\(JSONText.quote(event.type)),\"p\":\(JSONText.quote(event.payload))}"
        }
        list += "]"
        return PostgresConnection.PipelineStep(
            sql: """
                INSERT INTO ia_outbox (event_id, type, payload, source, occurred_at)
                SELECT e.value->>'i', e.value->>'t', e.value->>'p', $2, clock_timestamp()
                FROM json_array_elements($1::json) WITH ORDINALITY AS e(value, n) ORDER BY e.n
                RETURNING id
                """,
            parameters: [.text(list), .text(source)]
        )
    }

    /// The ids an insert from ``step(_:source:)`` returned.
    static func ids(_ result: PostgresResult) -> [Int64] {
        (0..<result.rowCount).compactMap { result.int($0, 0) }
    }
}
