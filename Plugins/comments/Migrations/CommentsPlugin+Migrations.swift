import ImageAppPlugin

extension CommentsPlugin {
    /// The plugin's tables. Never edit a shipped migration: add the next version.
    func registerMigrations(_ registrar: PluginRegistrar) throws {
        try registrar.migration(
            version: 1,
            name: "create_comments",
            sql: """
                CREATE TABLE comments (
                    -- Time-sortable (ia_next_id): oldest first by id alone.
                    id bigint PRIMARY KEY DEFAULT ia_next_id(),
                    post_id bigint NOT NULL,
                    -- The post's author (it never changes): who may delete any comment on it, and who hears of them.
                    post_author_id bigint NOT NULL,
                    -- The top-level comment a reply belongs to; NULL for a top-level comment. One level only.
                    parent_id bigint REFERENCES comments (id),
                    -- NULL once deleted: a placeholder kept for its replies has no author, body or mentions.
                    author_id bigint,
                    body text NOT NULL,
                    -- [{"id","handle"}], resolved when the comment was written.
                    mentions jsonb NOT NULL DEFAULT '[]',
                    created_at timestamptz NOT NULL DEFAULT now(),
                    deleted_at timestamptz,
                    CHECK ((deleted_at IS NULL) = (author_id IS NOT NULL))
                );
                -- A post's comments in thread order: each top-level comment, then its replies.
                CREATE INDEX comments_thread ON comments (post_id, (coalesce(parent_id, id)), id);
                CREATE INDEX comments_replies ON comments (parent_id) WHERE parent_id IS NOT NULL;
                CREATE INDEX comments_author ON comments (author_id, post_id) WHERE author_id IS NOT NULL;
                -- Authors whose comments are hidden while an admin's ban lasts (from user.banned / user.unbanned).
                CREATE TABLE comments_hidden_authors (
                    user_id bigint PRIMARY KEY,
                    hidden_at timestamptz NOT NULL DEFAULT now()
                );
                -- Deleted users and posts: a comment being written while its author or post went is refused, not kept.
                CREATE TABLE comments_deleted_users (
                    user_id bigint PRIMARY KEY,
                    deleted_at timestamptz NOT NULL DEFAULT now()
                );
                CREATE TABLE comments_deleted_posts (
                    post_id bigint PRIMARY KEY,
                    deleted_at timestamptz NOT NULL DEFAULT now()
                )
                """
        )
    }
}
