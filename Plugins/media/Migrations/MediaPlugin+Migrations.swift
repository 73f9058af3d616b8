import ImageAppPlugin

extension MediaPlugin {
    /// The plugin's table. Never edit a shipped migration: add the next version.
    func registerMigrations(_ registrar: PluginRegistrar) throws {
        try registrar.migration(
            version: 1,
            name: "create_media",
            sql: """
                CREATE TABLE media (
                    id bigint PRIMARY KEY DEFAULT ia_next_id(),
                    owner_id bigint NOT NULL,
                    -- The post it is attached to (posts owns posts), its place there; NULL until attached.
                    post_id bigint,
                    position smallint,
                    large_key text NOT NULL,
                    small_key text NOT NULL,
                    -- The upload as sent, when keep_original is on; never served through the API.
                    original_key text,
                    width integer NOT NULL,
                    height integer NOT NULL,
                    alt text,
                    blurhash text NOT NULL,
                    source_type text NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    attached_at timestamptz
                );
                CREATE INDEX media_unattached_created ON media (created_at) WHERE post_id IS NULL;
                CREATE INDEX media_post ON media (post_id, position) WHERE post_id IS NOT NULL;
                CREATE INDEX media_owner ON media (owner_id)
                """
        )
    }
}
