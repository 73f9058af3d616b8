import ImageAppPlugin

extension ProfilesPlugin {
    /// The plugin's tables. Never edit a shipped migration: add the next version.
    func registerMigrations(_ registrar: PluginRegistrar) throws {
        try registrar.migration(
            version: 1,
            name: "create_profiles",
            sql: """
                CREATE TABLE profiles (
                    user_id bigint PRIMARY KEY,
                    display_name text,
                    bio text NOT NULL DEFAULT '',
                    avatar_key text,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    updated_at timestamptz NOT NULL DEFAULT now()
                );
                -- One row per deleted user: late or repeated events must not bring a profile back, and a repeated
                -- user.deleted still learns which avatar to delete.
                CREATE TABLE profiles_deleted_users (
                    user_id bigint PRIMARY KEY,
                    avatar_key text,
                    deleted_at timestamptz NOT NULL DEFAULT now()
                )
                """
        )
    }
}
