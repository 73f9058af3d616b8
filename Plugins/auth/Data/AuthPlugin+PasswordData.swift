import ImageAppPlugin

extension AuthPlugin {
    /// Commands behind the password routes. Hashes are computed by the routes, outside any transaction.
    func registerPasswordData(_ registrar: PluginRegistrar) throws {
        try registrar.dataCommand("auth.request_password_reset", requestPasswordReset)
        try registrar.dataCommand("auth.reset_password", resetPassword)
        try registrar.dataCommand("auth.change_password", changePassword)
    }

    /// `{"email", "token_hash"}` → `{"email", "handle"}` for the mail, or no result when no account has that email
    /// (the route answers the same either way). A new reset token replaces any earlier unused one.
    private func requestPasswordReset(_ command: CommandContext) throws -> CommandResult {
        struct Input: Decodable {
            var email: String
            var tokenHash: String
        }
        let input = try command.decodePayload(Input.self)
        guard
            let row = try command.db.execute(
                "SELECT id::text AS id, handle, email FROM auth_users WHERE lower(email) = lower($1) AND banned_at IS NULL",
                [.text(input.email)]
            ).first, let id = row["id"], let handle = row["handle"], let email = row["email"]
        else { return .none }
        try command.db.execute(
            "DELETE FROM auth_tokens WHERE user_id = $1 AND purpose = 'reset_password'",
            [.text(id)]
        )
        try storeToken(
            command.db,
            hash: input.tokenHash,
            userID: id,
            purpose: "reset_password",
            email: email,
            lifetime: settings.resetTokenSeconds
        )
        return try .ok(ResetMailTarget(email: email, handle: handle))
    }

    /// `{"token_hash", "password_hash"}` → `{"token_hashes"}`: sets the password and ends **every** session (whoever
    /// had the old password may have signed in); 400 `invalid_token`. A reset also proves the email address.
    private func resetPassword(_ command: CommandContext) throws -> CommandResult {
        struct Input: Decodable {
            var tokenHash: String
            var passwordHash: String
        }
        let input = try command.decodePayload(Input.self)
        let userID = try useToken(command.db, hash: input.tokenHash, purpose: "reset_password")
        try command.db.execute(
            "UPDATE auth_users SET password_hash = $2, updated_at = now() WHERE id = $1",
            [.text(userID), .text(input.passwordHash)]
        )
        try markVerified(command, userID: userID)
        try command.db.execute(
            "DELETE FROM auth_tokens WHERE user_id = $1 AND purpose = 'reset_password'",
            [.text(userID)]
        )
        return try .ok(EndedSessions(tokenHashes: try endSessions(command, userID: userID), userId: userID))
    }

    /// `{"user_id", "keep_session_id", "old_password_hash", "password_hash"}` → `{"token_hashes"}`: sets the
    /// password if it is still the one the route verified (else 409 `password_changed`) and ends every other
    /// session.
    private func changePassword(_ command: CommandContext) throws -> CommandResult {
        struct Input: Decodable {
            var userId: String
            var keepSessionId: String?
            var oldPasswordHash: String
            var passwordHash: String
        }
        let input = try command.decodePayload(Input.self)
        let updated = try command.db.execute(
            "UPDATE auth_users SET password_hash = $3, updated_at = now() WHERE id = $1 AND password_hash = $2",
            [.text(input.userId), .text(input.oldPasswordHash), .text(input.passwordHash)]
        )
        guard updated.affectedRows == 1 else {
            throw HTTPError.conflict("The password was changed meanwhile; try again.", code: "password_changed")
        }
        return try .ok(EndedSessions(tokenHashes: try endSessions(command, userID: input.userId, keeping: input.keepSessionId)))
    }
}
