import AuthContract
import ImageAppPlugin
import PluginCrypto
import PluginSupport

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension AuthPlugin {
    /// Commands and queries about accounts, including the ones other plugins use (see docs/PLUGINS.md, "auth").
    func registerAccountData(_ registrar: PluginRegistrar) throws {
        try registrar.dataCommand("auth.register", register)
        try registrar.dataCommand("auth.create_admin", createAdmin)
        try registrar.dataCommand(AuthCommand.deleteAccount, deleteAccount)
        try registrar.dataCommand("auth.issue_verification", issueVerification)
        try registrar.dataCommand("auth.verify_email", verifyEmail)
        try registrar.query(AuthQuery.account, account)
        try registrar.query(AuthQuery.accountByHandle, accountByHandle)
        try registrar.query(AuthQuery.publicAccounts, publicAccounts)
        try registrar.query("auth.credentials", credentials)
        try registrar.query("auth.usable_token", usableToken)
    }

    /// `{"handle", "email", "password_hash", "display_name"?, "session", "verification_token_hash"}` →
    /// `{"account", "session"}`; 409 `handle_taken` / `email_taken` (case-insensitively). Raises `user.registered`.
    private func register(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(RegisterPayload.self)
        let account = try insertAccount(command, handle: input.handle, email: input.email, passwordHash: input.passwordHash)
        let session = try openSession(command.db, userID: account.id.description, grant: input.session)
        try storeToken(
            command.db,
            hash: input.verificationTokenHash,
            userID: account.id.description,
            purpose: "verify_email",
            email: account.email,
            lifetime: settings.verificationTokenSeconds
        )
        try command.raise(
            AuthEvent.userRegistered,
            payload: UserRegistered(userId: account.id, handle: account.handle, displayName: input.displayName)
        )
        return try .ok(Opened(account: account, session: session))
    }

    /// `{"handle", "email", "password_hash"}` → the ``Account``: an admin with a verified email (`create-admin`).
    private func createAdmin(_ command: CommandContext) throws -> CommandResult {
        struct Input: Decodable {
            var handle: String
            var email: String
            var passwordHash: String
        }
        let input = try command.decodePayload(Input.self)
        var account = try insertAccount(command, handle: input.handle, email: input.email, passwordHash: input.passwordHash)
        try command.db.execute(
            "UPDATE auth_users SET role = 'admin', email_verified_at = now() WHERE id = $1",
            [.int(account.id.value)]
        )
        account.role = "admin"
        account.emailVerified = true
        try command.raise(AuthEvent.userRegistered, payload: UserRegistered(userId: account.id, handle: account.handle, displayName: nil))
        return try .ok(account)
    }

    /// `{"user_id", "password"}` → `{"deleted": true, "handle"}`; 401 `invalid_password`, 404 `user_not_found`.
    /// Deletes the account with its sessions and tokens and raises `user.deleted` for every plugin to remove its data.
    ///
    /// The one command that runs the KDF inside its transaction: the caller is another plugin (`profiles`), which
    /// cannot check a password itself. Nothing is locked while the hash is computed (the row is read without
    /// `FOR UPDATE`; the delete then requires the same hash); the connection it holds meanwhile is bounded by the
    /// per-account limit on password checks and by the hashing slots' timeout.
    private func deleteAccount(_ command: CommandContext) throws -> CommandResult {
        struct Input: Decodable {
            var userId: String
            var password: String
        }
        let input = try command.decodePayload(Input.self)
        guard Int64(input.userId) != nil,
            let row = try command.db.execute(
                "SELECT handle, password_hash FROM auth_users WHERE id = $1",
                [.text(input.userId)]
            ).first,
            let handle = row["handle"], let stored = row["password_hash"]
        else { throw AuthErrors.userNotFound }
        // Counted in Redis before the hash (a retried attempt counts again, which errs on the safe side).
        try limiter.enforce(settings.passwordChecksPerAccount, key: "uid:\(input.userId)")
        guard try passwords.verify(input.password, against: stored) else { throw AuthErrors.invalidPassword }
        let hashes = try command.db.execute(
            "SELECT token_hash FROM auth_sessions WHERE user_id = $1",
            [.text(input.userId)]
        ).compactMap { $0.bytes("token_hash").map(Base64URL.encode) }
        let deleted = try command.db.execute(
            "DELETE FROM auth_users WHERE id = $1 AND password_hash = $2",
            [.text(input.userId), .text(stored)]
        )
        // The password changed while it was being checked: let the client try again with the new one.
        guard deleted.affectedRows == 1 else { throw AuthErrors.invalidPassword }
        if !hashes.isEmpty {
            try command.raise(AuthEvent.sessionsEnded, payload: SessionsEnded(userId: UserID.parse(input.userId), tokenHashes: hashes))
        }
        try command.raise(AuthEvent.userDeleted, payload: UserEvent(userId: UserID.parse(input.userId), handle: handle))
        return try .ok(
            DeletedAccount(
                deleted: true,
                handle: handle,
                tokenHashes: hashes,
                clearCookies: SessionCookies.clear(secure: settings.cookieSecure)
            )
        )
    }

    /// `{"user_id", "token_hash"}` → `{"email", "handle", "already_verified"}`: a new verification token (older
    /// unused ones stop working).
    private func issueVerification(_ command: CommandContext) throws -> CommandResult {
        struct Input: Decodable {
            var userId: String
            var tokenHash: String
        }
        let input = try command.decodePayload(Input.self)
        guard
            let account = try command.db.execute(
                "SELECT \(AuthSQL.accountColumns) FROM auth_users u WHERE u.id = $1",
                [.text(input.userId)]
            ).first.flatMap(Account.init)
        else { throw AuthErrors.userNotFound }
        guard !account.emailVerified else {
            return try .ok(VerificationIssued(email: account.email, handle: account.handle, alreadyVerified: true))
        }
        try command.db.execute(
            "DELETE FROM auth_tokens WHERE user_id = $1 AND purpose = 'verify_email'",
            [.int(account.id.value)]
        )
        try storeToken(
            command.db,
            hash: input.tokenHash,
            userID: account.id.description,
            purpose: "verify_email",
            email: account.email,
            lifetime: settings.verificationTokenSeconds
        )
        return try .ok(VerificationIssued(email: account.email, handle: account.handle, alreadyVerified: false))
    }

    /// `{"token_hash"}` → the ``Account``, now verified; 400 `invalid_token` for an unknown, expired or used token,
    /// or one sent to an address the account no longer has.
    private func verifyEmail(_ command: CommandContext) throws -> CommandResult {
        struct Input: Decodable { var tokenHash: String }
        let input = try command.decodePayload(Input.self)
        let userID = try useToken(command.db, hash: input.tokenHash, purpose: "verify_email")
        try markVerified(command, userID: userID)
        guard
            let account = try command.db.execute(
                "SELECT \(AuthSQL.accountColumns) FROM auth_users u WHERE u.id = $1",
                [.text(userID)]
            ).first.flatMap(Account.init)
        else { throw AuthErrors.invalidToken }
        return try .ok(account)
    }

    /// `{"user_id"}` → the ``Account``; 404 `user_not_found`.
    private func account(_ query: CommandContext) throws -> CommandResult {
        struct Input: Decodable { var userId: String }
        let input = try query.decodePayload(Input.self)
        guard Int64(input.userId) != nil,
            let account = try query.db.execute(
                "SELECT \(AuthSQL.accountColumns) FROM auth_users u WHERE u.id = $1",
                [.text(input.userId)]
            ).first.flatMap(Account.init)
        else { throw AuthErrors.userNotFound }
        return try .ok(account)
    }

    /// `{"handle"}` (any case) → the public part of the account; 404 `user_not_found`.
    private func accountByHandle(_ query: CommandContext) throws -> CommandResult {
        struct Input: Decodable { var handle: String }
        let input = try query.decodePayload(Input.self)
        guard
            let account = try query.db.execute(
                "SELECT \(AuthSQL.accountColumns) FROM auth_users u WHERE lower(u.handle) = lower($1)",
                [.text(input.handle)]
            ).first.flatMap(Account.init)
        else { throw AuthErrors.userNotFound }
        return try .ok(
            PublicAccount(
                id: account.id,
                handle: account.handle,
                role: account.role,
                createdAt: account.createdAt,
                banned: account.banned
            )
        )
    }

    /// ``AccountsLookup`` → ``PublicAccountList``: the accounts found, in no particular order.
    private func publicAccounts(_ query: CommandContext) throws -> CommandResult {
        let input = try query.decodePayload(AccountsLookup.self)
        let ids = input.userIds ?? []
        let handles = (input.handles ?? []).map { $0.lowercased() }
        guard ids.count <= AccountsLookup.maxCount, handles.count <= AccountsLookup.maxCount else {
            throw HTTPError.unprocessable(fields: ["user_ids": "must list at most \(AccountsLookup.maxCount) ids and handles"])
        }
        guard !ids.isEmpty || !handles.isEmpty else { return try .ok(PublicAccountList(items: [])) }
        // Arrays go as one text parameter each: `{1,2}` and a JSON array of handles (which may hold any character).
        let rows = try query.db.execute(
            """
            SELECT \(AuthSQL.accountColumns) FROM auth_users u
            WHERE u.id = ANY($1::bigint[])
               OR lower(u.handle) IN (SELECT jsonb_array_elements_text($2::jsonb))
            """,
            [
                .text("{" + ids.map(\.description).joined(separator: ",") + "}"),
                .text(String(decoding: try JSONEncoder().encode(handles), as: UTF8.self)),
            ]
        )
        return try .ok(PublicAccountList(items: rows.compactMap(Account.init).map(\.publicAccount)))
    }

    /// `{"login"}` (a handle or an email, any case) or `{"user_id"}` → `{"user_id", "password_hash", "banned"}`, or
    /// no result.
    private func credentials(_ query: CommandContext) throws -> CommandResult {
        struct Input: Decodable {
            var login: String?
            var userId: String?
        }
        let input = try query.decodePayload(Input.self)
        let condition: String
        let value: String
        if let userID = input.userId {
            guard Int64(userID) != nil else { return .none }
            (condition, value) = ("id = $1", userID)
        } else if let login = input.login {
            (condition, value) = (login.contains("@") ? "lower(email) = lower($1)" : "lower(handle) = lower($1)", login)
        } else {
            return .none
        }
        guard
            let row = try query.db.execute(
                "SELECT id::text AS id, password_hash, banned_at IS NOT NULL AS banned FROM auth_users WHERE \(condition)",
                [.text(value)]
            ).first, let id = row["id"], let hash = row["password_hash"]
        else { return .none }
        return try .ok(Credentials(userId: id, passwordHash: hash, banned: row["banned"] == "t"))
    }

    /// `{"token_hash", "purpose"}` → `{"user_id"}` when the token would be accepted now (without using it up); 400
    /// `invalid_token` otherwise.
    private func usableToken(_ query: CommandContext) throws -> CommandResult {
        struct Input: Decodable {
            var tokenHash: String
            var purpose: String
        }
        let input = try query.decodePayload(Input.self)
        guard let bytes = Base64URL.decode(input.tokenHash), bytes.count == 32,
            let userID = try query.db.execute(
                """
                SELECT t.user_id::text AS user_id FROM auth_tokens t JOIN auth_users u ON u.id = t.user_id
                WHERE t.token_hash = $1 AND t.purpose = $2 AND t.used_at IS NULL AND t.expires_at > now()
                  AND lower(u.email) = lower(t.email)
                """,
                [.bytes(bytes), .text(input.purpose)]
            ).first?["user_id"]
        else { throw AuthErrors.invalidToken }
        return try .ok(["user_id": userID])
    }

    // MARK: Shared statements

    /// Inserts an account after checking, case-insensitively, that the handle and email are free; a race lost at
    /// the unique indexes still gives a 409.
    func insertAccount(_ command: CommandContext, handle: String, email: String, passwordHash: String) throws -> Account {
        let taken = try command.db.execute(
            """
            SELECT bool_or(lower(handle) = lower($1)) AS handle, bool_or(lower(email) = lower($2)) AS email
            FROM auth_users WHERE lower(handle) = lower($1) OR lower(email) = lower($2)
            """,
            [.text(handle), .text(email)]
        ).first
        if taken?["handle"] == "t" {
            throw HTTPError.conflict("This handle is taken.", code: "handle_taken", details: ["handle": "is taken"])
        }
        if taken?["email"] == "t" {
            throw HTTPError.conflict(
                "An account with this email exists.",
                code: "email_taken",
                details: ["email": "is taken"]
            )
        }
        let rows: Rows
        do {
            rows = try command.db.execute(
                "INSERT INTO auth_users AS u (handle, email, password_hash) VALUES ($1, $2, $3) RETURNING \(AuthSQL.accountColumns)",
                [.text(handle), .text(email), .text(passwordHash)]
            )
        } catch {
            guard error.isConflict else { throw error }
            throw HTTPError.conflict("This handle or email is taken.", code: "account_taken")
        }
        guard let account = rows.first.flatMap(Account.init) else {
            throw DatabaseError(status: .internal, message: "INSERT … RETURNING gave no account")
        }
        return account
    }

    /// Marks the account's email verified, raising `user.email_verified` when that is news.
    func markVerified(_ command: CommandContext, userID: String) throws {
        let rows = try command.db.execute(
            """
            UPDATE auth_users SET email_verified_at = now(), updated_at = now()
            WHERE id = $1 AND email_verified_at IS NULL RETURNING handle
            """,
            [.text(userID)]
        )
        if let handle = rows.first?["handle"] {
            try command.raise(AuthEvent.userEmailVerified, payload: UserEvent(userId: UserID.parse(userID), handle: handle))
        }
    }

    /// Stores a single-use token's hash.
    func storeToken(_ db: Database, hash: String, userID: String, purpose: String, email: String, lifetime: Int64) throws {
        guard let bytes = Base64URL.decode(hash), bytes.count == 32 else {
            throw DatabaseError(status: .invalidArgument, message: "a token hash is malformed")
        }
        try db.execute(
            """
            INSERT INTO auth_tokens (token_hash, user_id, purpose, email, expires_at)
            VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))
            """,
            [.bytes(bytes), .text(userID), .text(purpose), .text(email), .int(lifetime)]
        )
    }

    /// Marks a single-use token used and returns its user; 400 `invalid_token` unless it exists, has `purpose`, is
    /// unexpired and unused, and was sent to the account's current email address.
    func useToken(_ db: Database, hash: String, purpose: String) throws -> String {
        guard let bytes = Base64URL.decode(hash), bytes.count == 32 else { throw AuthErrors.invalidToken }
        let rows = try db.execute(
            """
            UPDATE auth_tokens t SET used_at = now()
            FROM auth_users u
            WHERE t.token_hash = $1 AND t.purpose = $2 AND t.used_at IS NULL AND t.expires_at > now()
              AND u.id = t.user_id AND lower(u.email) = lower(t.email)
            RETURNING t.user_id::text AS user_id
            """,
            [.bytes(bytes), .text(purpose)]
        )
        guard let userID = rows.first?["user_id"] else { throw AuthErrors.invalidToken }
        return userID
    }
}
