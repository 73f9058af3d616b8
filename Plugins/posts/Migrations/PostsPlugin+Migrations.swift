import ImageAppPlugin

extension PostsPlugin {
    /// The plugin's tables. Never edit a shipped migration: add the next version.
    func registerMigrations(_ registrar: PluginRegistrar) throws {
        try registrar.migration(
            version: 1,
            name: "create_posts",
            sql: """
                CREATE TABLE posts (
                    -- Time-sortable (ia_next_id): lists are newest first by id alone.
                    id bigint PRIMARY KEY,
                    author_id bigint NOT NULL,
                    caption text NOT NULL DEFAULT '',
                    tags text[] NOT NULL DEFAULT '{}',
                    -- [{"id","handle"}], resolved when the caption was written.
                    mentions jsonb NOT NULL DEFAULT '[]',
                    -- In display order; media owns the rows.
                    media_ids bigint[] NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    edited_at timestamptz
                );
                CREATE INDEX posts_author_id ON posts (author_id, id DESC);
                -- One row per tag of a post, for GET /api/v1/tags/{tag}/posts newest first.
                CREATE TABLE post_tags (
                    tag text NOT NULL,
                    post_id bigint NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
                    PRIMARY KEY (tag, post_id)
                );
                CREATE INDEX post_tags_post ON post_tags (post_id);
                -- Authors whose posts are hidden while an admin's ban lasts (from user.banned / user.unbanned).
                CREATE TABLE posts_hidden_authors (
                    user_id bigint PRIMARY KEY,
                    hidden_at timestamptz NOT NULL DEFAULT now()
                );
                -- Deleted users: a post that was being created while the account went is refused, not kept.
                CREATE TABLE posts_deleted_users (
                    user_id bigint PRIMARY KEY,
                    deleted_at timestamptz NOT NULL DEFAULT now()
                )
                """
        )
    }
}
