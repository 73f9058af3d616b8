import ImageAppPlugin

extension AuthPlugin {
    /// The hourly job that deletes expired sessions and spent tokens, so the tables hold only what can still work.
    func registerMaintenance(_ registrar: PluginRegistrar) throws {
        try registrar.dataCommand("auth.purge_expired") { command in
            let sessions = try command.db.execute("DELETE FROM auth_sessions WHERE expires_at <= now()")
            let tokens = try command.db.execute(
                "DELETE FROM auth_tokens WHERE expires_at <= now() OR used_at < now() - interval '1 day'"
            )
            return try .ok(["sessions": sessions.affectedRows, "tokens": tokens.affectedRows])
        }
        try registrar.job("purge-expired", every: .seconds(3_600)) { [host] _ in
            _ = try host.dispatchCommand("auth.purge_expired")
        }
    }
}
