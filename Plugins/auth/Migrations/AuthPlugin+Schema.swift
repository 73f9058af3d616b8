import ImageAppPlugin

extension AuthPlugin {
    /// The plugin's tables. Handles and emails are unique case-insensitively (`lower(...)` indexes, which also
    /// serve the admin list's prefix search); ids come from the host's time-sortable `ia_next_id()`. Signing keys are
    /// kept beside them, so that every instance signs and checks with the same key.
    func registerSchema(_ registrar: PluginRegistrar) throws {
        try registrar.migration(
            version: 1,
            name: "create_accounts",
            sql: """
                CREATE TABLE auth_users (
                    id bigint PRIMARY KEY DEFAULT ia_next_id(),
                    handle text NOT NULL,
                    email text NOT NULL,
                    password_hash text NOT NULL,
                    role text NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
                    email_verified_at timestamptz,
                    banned_at timestamptz,
                    ban_reason text,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    updated_at timestamptz NOT NULL DEFAULT now()
                );
                CREATE UNIQUE INDEX auth_users_handle_key ON auth_users (lower(handle) text_pattern_ops);
                CREATE UNIQUE INDEX auth_users_email_key ON auth_users (lower(email) text_pattern_ops);
                CREATE INDEX auth_users_admins ON auth_users (id) WHERE role = 'admin';

                CREATE TABLE auth_sessions (
                    id bigint PRIMARY KEY DEFAULT ia_next_id(),
                    user_id bigint NOT NULL REFERENCES auth_users (id) ON DELETE CASCADE,
                    token_hash bytea NOT NULL UNIQUE,
                    user_agent text NOT NULL DEFAULT '',
                    ip text NOT NULL DEFAULT '',
                    created_at timestamptz NOT NULL DEFAULT now(),
                    last_seen_at timestamptz NOT NULL DEFAULT now(),
                    expires_at timestamptz NOT NULL
                );
                CREATE INDEX auth_sessions_user ON auth_sessions (user_id, id);
                CREATE INDEX auth_sessions_expiry ON auth_sessions (expires_at);

                CREATE TABLE auth_tokens (
                    token_hash bytea PRIMARY KEY,
                    user_id bigint NOT NULL REFERENCES auth_users (id) ON DELETE CASCADE,
                    purpose text NOT NULL CHECK (purpose IN ('verify_email', 'reset_password')),
                    email text NOT NULL,
                    created_at timestamptz NOT NULL DEFAULT now(),
                    expires_at timestamptz NOT NULL,
                    used_at timestamptz
                );
                CREATE INDEX auth_tokens_user ON auth_tokens (user_id, purpose);
                CREATE INDEX auth_tokens_expiry ON auth_tokens (expires_at);
                """
        )
        // Secret keys the plugin signs with (the device cookies' HMAC key), made on first use by
        // `auth.signing_key` with the CSPRNG and shared by every instance.
        try registrar.migration(
            version: 2,
            name: "create_signing_keys",
            sql: """
                CREATE TABLE auth_signing_keys (
                    name text PRIMARY KEY,
                    secret bytea NOT NULL CHECK (length(secret) >= 32),
                    created_at timestamptz NOT NULL DEFAULT now()
                );
                """
        )
    }
}
