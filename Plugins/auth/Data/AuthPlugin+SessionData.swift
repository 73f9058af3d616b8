import AuthContract
import ImageAppPlugin
import PluginCrypto
import PluginSupport

extension AuthPlugin {
    /// Commands and queries about sessions: open, resolve, end, list; and the shared statements behind them.
    func registerSessionData(_ registrar: PluginRegistrar) throws {
        try registrar.dataCommand("auth.create_session", createSession)
        try registrar.dataCommand("auth.resolve_session", resolveSession)
        try registrar.dataCommand("auth.end_session", endSession)
        try registrar.query("auth.sessions", listSessions)
    }

    /// ``CreateSessionPayload`` → `{"account", "session"}`: a login. The account must still exist, not be banned, and
    /// still have the password hash the login verified — a reset or change that committed meanwhile ended every
    /// session, and must not be outrun by a login with the old password. A new hash (today's parameters) replaces it.
    private func createSession(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(CreateSessionPayload.self)
        guard
            let account = try command.db.execute(
                "SELECT \(AuthSQL.accountColumns) FROM auth_users u WHERE u.id = $1 AND u.password_hash = $2 FOR UPDATE",
                [.text(input.userId), .text(input.verifiedHash)]
            ).first.flatMap(Account.init)
        else {
            throw AuthErrors.invalidCredentials
        }
        guard !account.banned else { throw AuthErrors.banned }
        if let newHash = input.newHash {
            try command.db.execute(
                "UPDATE auth_users SET password_hash = $2, updated_at = now() WHERE id = $1",
                [.text(input.userId), .text(newHash)]
            )
        }
        let session = try openSession(command.db, userID: account.id.description, grant: input.session)
        return try .ok(Opened(account: account, session: session))
    }

    /// `{"token_hash"}` → a ``ResolvedSession``, or no result when the token opens nothing (unknown, expired, or its
    /// account banned). Records the use: the last-seen time and a slid expiry.
    private func resolveSession(_ command: CommandContext) throws -> CommandResult {
        struct Input: Decodable { var tokenHash: String }
        let input = try command.decodePayload(Input.self)
        guard let hash = Base64URL.decode(input.tokenHash) else { return .none }
        let rows = try command.db.execute(
            """
            UPDATE auth_sessions s SET last_seen_at = now(), expires_at = now() + make_interval(secs => $2)
            FROM auth_users u
            WHERE s.token_hash = $1 AND s.expires_at > now() AND u.id = s.user_id AND u.banned_at IS NULL
            RETURNING s.id::text AS session_id, u.id::text AS user_id, u.handle, u.role
            """,
            [.bytes(hash), .int(settings.sessionIdleSeconds)]
        )
        guard let row = rows.first, let sessionID = row["session_id"], let userID = row["user_id"],
            let handle = row["handle"], let role = row["role"]
        else { return .none }
        return try .ok(ResolvedSession(sessionId: sessionID, userId: userID, handle: handle, role: role))
    }

    /// `{"user_id", "session_id"}` → `{"token_hashes": [...]}`: ends one of the user's own sessions; another user's
    /// session is "not found", like a session that does not exist.
    private func endSession(_ command: CommandContext) throws -> CommandResult {
        struct Input: Decodable {
            var userId: String
            var sessionId: String
        }
        let input = try command.decodePayload(Input.self)
        guard Int64(input.sessionId) != nil else { throw AuthErrors.sessionNotFound }
        let rows = try command.db.execute(
            "DELETE FROM auth_sessions WHERE id = $1 AND user_id = $2 RETURNING token_hash",
            [.text(input.sessionId), .text(input.userId)]
        )
        guard let hash = rows.first?.bytes("token_hash") else { throw AuthErrors.sessionNotFound }
        let hashes = [Base64URL.encode(hash)]
        try command.raise(AuthEvent.sessionsEnded, payload: SessionsEnded(userId: UserID.parse(input.userId), tokenHashes: hashes))
        return try .ok(EndedSessions(tokenHashes: hashes))
    }

    /// `{"user_id", "limit", "cursor"?}` → `{"items": [SessionInfo], "next_cursor"}`, newest first.
    private func listSessions(_ query: CommandContext) throws -> CommandResult {
        struct Input: Decodable {
            var userId: String
            var limit: Int
            var cursor: Int64?
        }
        let input = try query.decodePayload(Input.self)
        let rows = try query.db.execute(
            """
            SELECT \(SessionInfo.columns) FROM auth_sessions
            WHERE user_id = $1 AND expires_at > now() AND ($2::bigint IS NULL OR id < $2)
            ORDER BY id DESC LIMIT $3
            """,
            [.text(input.userId), input.cursor.map { .int($0) } ?? .null, .int(input.limit + 1)]
        )
        return try .ok(Page(fetched: rows.compactMap(SessionInfo.init), limit: input.limit, cursor: { PageCursor(id: Int64($0.id) ?? 0) }))
    }

    // MARK: Shared statements

    /// Inserts a session for `userID` and returns it.
    func openSession(_ db: Database, userID: String, grant: SessionGrant) throws -> SessionInfo {
        guard let hash = Base64URL.decode(grant.tokenHash), hash.count == 32 else {
            throw DatabaseError(status: .invalidArgument, message: "a session token hash is malformed")
        }
        let rows = try db.execute(
            """
            INSERT INTO auth_sessions (user_id, token_hash, user_agent, ip, expires_at)
            VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5))
            RETURNING \(SessionInfo.columns)
            """,
            [
                .text(userID), .bytes(hash), .text(grant.userAgent.truncated(toUTF8Bytes: 512)), .text(grant.ip.truncated(toUTF8Bytes: 64)),
                .int(settings.sessionIdleSeconds),
            ]
        )
        guard let session = rows.first.flatMap(SessionInfo.init) else {
            throw DatabaseError(status: .internal, message: "INSERT … RETURNING gave no session")
        }
        return session
    }

    /// Ends every session of `userID` but `keeping` (if any), raising `auth.sessions_ended`; returns their hashes
    /// for the caller to evict from the caches once the transaction has committed.
    func endSessions(_ command: CommandContext, userID: String, keeping: String? = nil) throws -> [String] {
        let rows = try command.db.execute(
            "DELETE FROM auth_sessions WHERE user_id = $1 AND ($2::bigint IS NULL OR id <> $2) RETURNING token_hash",
            [.text(userID), keeping.map { .text($0) } ?? .null]
        )
        let hashes = rows.compactMap { $0.bytes("token_hash").map(Base64URL.encode) }
        if !hashes.isEmpty {
            try command.raise(AuthEvent.sessionsEnded, payload: SessionsEnded(userId: UserID.parse(userID), tokenHashes: hashes))
        }
        return hashes
    }
}
