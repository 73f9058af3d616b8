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
        // Whether the user chose the display name (an edit named it, even as null). Until they do, the name given at
        // registration may still fill it in: an edit can land before the registration event is handled.
        try registrar.migration(
            version: 2,
            name: "add_display_name_chosen",
            sql: "ALTER TABLE profiles ADD COLUMN display_name_chosen boolean NOT NULL DEFAULT false"
        )
        // Avatars are processed into two squares: avatar_key now names the large one, this the small one. NULL for
        // an avatar stored as uploaded before that, whose one file keeps serving both sizes.
        try registrar.migration(
            version: 3,
            name: "add_avatar_small_key",
            sql: """
                ALTER TABLE profiles ADD COLUMN avatar_small_key text;
                ALTER TABLE profiles_deleted_users ADD COLUMN avatar_small_key text
                """
        )
    }
}
