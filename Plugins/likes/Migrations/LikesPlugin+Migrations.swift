import ImageAppPlugin

extension LikesPlugin {
    /// The plugin's tables. Never edit a shipped migration: add the next version.
    func registerMigrations(_ registrar: PluginRegistrar) throws {
        try registrar.migration(
            version: 1,
            name: "create_likes",
            sql: """
                -- Who likes what: the truth every count is rebuilt from.
                CREATE TABLE likes (
                    post_id bigint NOT NULL,
                    user_id bigint NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                    PRIMARY KEY (post_id, user_id)
                );
                CREATE INDEX likes_post_newest ON likes (post_id, created_at DESC, user_id DESC);
                CREATE INDEX likes_user ON likes (user_id, post_id);
                -- The counters as the last flush left them (for SQL: trending, reports).
                CREATE TABLE like_counts (
                    post_id bigint PRIMARY KEY,
                    count bigint NOT NULL
                );
                -- Flushes applied, so that one retried after a crash is not counted twice.
                CREATE TABLE likes_flushes (
                    flush_id text PRIMARY KEY,
                    applied_at timestamptz NOT NULL DEFAULT now()
                );
                -- Deleted posts: a like racing the deletion, or a late flush, cannot bring their rows back.
                CREATE TABLE likes_deleted_posts (
                    post_id bigint PRIMARY KEY,
                    deleted_at timestamptz NOT NULL DEFAULT now()
                )
                """
        )
    }
}
