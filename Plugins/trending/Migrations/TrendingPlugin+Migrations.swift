import ImageAppPlugin

extension TrendingPlugin {
    /// The plugin's tables: copies of what scoring needs, kept by the event handlers and pruned by the job. Never
    /// edit a shipped migration: add the next version.
    func registerMigrations(_ registrar: PluginRegistrar) throws {
        try registrar.migration(
            version: 1,
            name: "create_trending",
            sql: """
                -- Recent posts; a deleted one stays as a tombstone (deleted = true) so that a late event cannot bring
                -- it back, until it is older than the window.
                CREATE TABLE trending_posts (
                    post_id bigint PRIMARY KEY,
                    author_id bigint NOT NULL,
                    created_at timestamptz NOT NULL,
                    deleted boolean NOT NULL DEFAULT false
                );
                CREATE INDEX trending_posts_created ON trending_posts (created_at);
                -- Likes (kind 1, ref = the user) and comments (kind 2, ref = the comment) on recent posts.
                CREATE TABLE trending_engagements (
                    post_id bigint NOT NULL,
                    kind smallint NOT NULL,
                    ref bigint NOT NULL,
                    user_id bigint NOT NULL,
                    created_at timestamptz NOT NULL,
                    PRIMARY KEY (post_id, kind, ref)
                );
                CREATE INDEX trending_engagements_created ON trending_engagements (created_at);
                CREATE INDEX trending_engagements_user ON trending_engagements (user_id);
                -- Hashtag uses: one row per tag of a post, at the post's time.
                CREATE TABLE trending_tag_uses (
                    tag text NOT NULL,
                    post_id bigint NOT NULL,
                    user_id bigint NOT NULL,
                    created_at timestamptz NOT NULL,
                    PRIMARY KEY (tag, post_id)
                );
                CREATE INDEX trending_tag_uses_created ON trending_tag_uses (created_at);
                CREATE INDEX trending_tag_uses_post ON trending_tag_uses (post_id);
                CREATE INDEX trending_tag_uses_user ON trending_tag_uses (user_id);
                -- Accounts whose posts, engagements and tag uses do not count: banned ones while banned, deleted ones
                -- (so that a late event of theirs counts for nothing either).
                CREATE TABLE trending_hidden_users (
                    user_id bigint PRIMARY KEY,
                    reason text NOT NULL CHECK (reason IN ('banned', 'deleted')),
                    since timestamptz NOT NULL DEFAULT now()
                )
                """
        )
    }
}
