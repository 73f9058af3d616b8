import ImageAppPlugin

extension FollowsPlugin {
    /// The plugin's tables. Never edit a shipped migration: add the next version.
    func registerMigrations(_ registrar: PluginRegistrar) throws {
        try registrar.migration(
            version: 1,
            name: "create_follows",
            sql: """
                -- Who follows whom: the truth every count and feed is built from.
                CREATE TABLE follows (
                    follower_id bigint NOT NULL,
                    followee_id bigint NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                    PRIMARY KEY (follower_id, followee_id),
                    CHECK (follower_id <> followee_id)
                );
                -- Fan-out walks a user's followers by id; lists show them newest first.
                CREATE INDEX follows_followers ON follows (followee_id, follower_id);
                CREATE INDEX follows_followers_newest ON follows (followee_id, created_at DESC, follower_id DESC);
                CREATE INDEX follows_following_newest ON follows (follower_id, created_at DESC, followee_id DESC);
                -- Each user's counts, changed in the transaction that changes a row.
                CREATE TABLE follow_counts (
                    user_id bigint PRIMARY KEY,
                    followers bigint NOT NULL DEFAULT 0 CHECK (followers >= 0),
                    following bigint NOT NULL DEFAULT 0 CHECK (following >= 0)
                );
                -- Deleted accounts: a follow racing the deletion cannot bring their rows back.
                CREATE TABLE follows_deleted_users (
                    user_id bigint PRIMARY KEY,
                    deleted_at timestamptz NOT NULL DEFAULT now()
                )
                """
        )
    }
}
