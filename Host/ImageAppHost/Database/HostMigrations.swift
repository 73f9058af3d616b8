/// The host's own tables, migrated like a plugin's under the name "host".
enum HostMigrations {
    static let all: [CommandBus.Migration] = [
        CommandBus.Migration(
            version: 1,
            name: "create_outbox",
            sql: """
                CREATE TABLE ia_outbox (
                    id bigserial PRIMARY KEY,
                    event_id text NOT NULL UNIQUE,
                    type text NOT NULL,
                    payload text NOT NULL,
                    source text NOT NULL,
                    occurred_at timestamptz NOT NULL DEFAULT now(),
                    published_at timestamptz
                );
                CREATE INDEX ia_outbox_unpublished ON ia_outbox (id) WHERE published_at IS NULL;
                """
        ),
        // Time-sortable 64-bit ids for every plugin's tables (docs/API.md, "IDs"):
        // milliseconds since 2024-01-01 UTC in the high 41 bits (good until 2093), a shared sequence in the low 22,
        // so ids from every instance sharing the database are unique and ordered by creation to the millisecond.
        CommandBus.Migration(
            version: 2,
            name: "create_next_id",
            sql: """
                CREATE SEQUENCE ia_id_sequence CYCLE MAXVALUE 4194303;
                CREATE FUNCTION ia_next_id() RETURNS bigint LANGUAGE sql VOLATILE PARALLEL UNSAFE AS $$
                    SELECT ((floor(extract(epoch FROM clock_timestamp()) * 1000)::bigint - 1704067200000) << 22)
                        | nextval('ia_id_sequence')
                $$;
                """
        ),
    ]
}
