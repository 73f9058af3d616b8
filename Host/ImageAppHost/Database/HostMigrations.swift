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
        )
    ]
}
