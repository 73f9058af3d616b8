import ImageAppPlugin

extension NotificationsPlugin {
    /// The plugin's tables. Never edit a shipped migration: add the next version.
    func registerMigrations(_ registrar: PluginRegistrar) throws {
        try registrar.migration(
            version: 1,
            name: "create_notifications",
            sql: """
                -- One notification: for `user_id`, of `type`, about `group_key` (`like:<post>`, `follow`,
                -- `comment:<comment>`...). `updated_at` is its last activity, the list's order.
                CREATE TABLE notifications (
                    id bigint PRIMARY KEY DEFAULT ia_next_id(),
                    user_id bigint NOT NULL,
                    type text NOT NULL,
                    group_key text NOT NULL,
                    post_id bigint,
                    comment_id bigint,
                    read boolean NOT NULL DEFAULT false,
                    created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                    updated_at timestamptz NOT NULL DEFAULT clock_timestamp()
                );
                -- At most one unread notification per subject: likes and follows group into it until it is read.
                CREATE UNIQUE INDEX notifications_open_group ON notifications (user_id, group_key) WHERE NOT read;
                CREATE INDEX notifications_newest ON notifications (user_id, updated_at DESC, id DESC);
                CREATE INDEX notifications_unread ON notifications (user_id) WHERE NOT read;
                CREATE INDEX notifications_post ON notifications (post_id) WHERE post_id IS NOT NULL;
                CREATE INDEX notifications_comment ON notifications (comment_id) WHERE comment_id IS NOT NULL;
                CREATE INDEX notifications_prunable ON notifications (updated_at) WHERE read;
                -- Who is behind each notification, newest first.
                CREATE TABLE notification_actors (
                    notification_id bigint NOT NULL REFERENCES notifications (id) ON DELETE CASCADE,
                    actor_id bigint NOT NULL,
                    acted_at timestamptz NOT NULL DEFAULT clock_timestamp(),
                    PRIMARY KEY (notification_id, actor_id)
                );
                CREATE INDEX notification_actors_newest ON notification_actors (notification_id, acted_at DESC, actor_id DESC);
                CREATE INDEX notification_actors_actor ON notification_actors (actor_id);
                -- Events handled, per recipient: a redelivered event changes nothing.
                CREATE TABLE notifications_events (
                    event_id text NOT NULL,
                    user_id bigint NOT NULL,
                    handled_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (event_id, user_id)
                );
                CREATE INDEX notifications_events_age ON notifications_events (handled_at);
                -- The types each user turned off (none by default).
                CREATE TABLE notification_settings (
                    user_id bigint PRIMARY KEY,
                    disabled text[] NOT NULL DEFAULT '{}'
                );
                -- Banned users, while banned: their notifications are hidden and not counted.
                CREATE TABLE notifications_banned_users (
                    user_id bigint PRIMARY KEY
                );
                -- Deleted posts, comments and users: a late event cannot bring their notifications back.
                CREATE TABLE notifications_tombstones (
                    kind text NOT NULL,
                    subject_id bigint NOT NULL,
                    deleted_at timestamptz NOT NULL DEFAULT now(),
                    PRIMARY KEY (kind, subject_id)
                )
                """
        )
    }
}
