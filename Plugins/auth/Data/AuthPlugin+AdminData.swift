import AuthContract
import Foundation
import ImageAppPlugin
import PluginCrypto
import PluginSupport

extension AuthPlugin {
    /// The admin list and the moderation command.
    func registerAdminData(_ registrar: PluginRegistrar) throws {
        try registrar.query("auth.admin_users", adminUsers)
        try registrar.dataCommand("auth.moderate", moderate)
    }

    /// `{"limit", "cursor"?, "q"?}` → a page of ``Account``s, newest first; `q` is a case-insensitive prefix of the
    /// handle or the email.
    private func adminUsers(_ query: CommandContext) throws -> CommandResult {
        struct Input: Decodable {
            var limit: Int
            var cursor: Int64?
            var q: String?
        }
        let input = try query.decodePayload(Input.self)
        // LIKE's own characters in the search text match themselves.
        let pattern = input.q.map { text in
            text.lowercased().replacingOccurrences(of: "\\", with: "\\\\")
                .replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_") + "%"
        }
        let rows = try query.db.execute(
            """
            SELECT \(AuthSQL.accountColumns) FROM auth_users u
            WHERE ($1::bigint IS NULL OR u.id < $1)
              AND ($2::text IS NULL OR lower(u.handle) LIKE $2 OR lower(u.email) LIKE $2)
            ORDER BY u.id DESC LIMIT $3
            """,
            [input.cursor.map { .int($0) } ?? .null, pattern.map { .text($0) } ?? .null, .int(input.limit + 1)]
        )
        return try .ok(Page(fetched: rows.compactMap(Account.init), limit: input.limit, cursor: { PageCursor(id: $0.id.value) }))
    }

    /// `{"handle", "action": "ban"|"unban"|"promote"|"demote", "reason"?}` → `{"account", "token_hashes"}`.
    ///
    /// Bans end every session at once; role changes keep sessions but their cached principals must go (the hashes
    /// come back for the route to evict). The last active admin can be neither banned nor demoted: every active
    /// admin row is locked first, so two admins demoting each other at once cannot both succeed.
    private func moderate(_ command: CommandContext) throws -> CommandResult {
        struct Input: Decodable {
            var handle: String
            var action: String
            var reason: String?
        }
        let input = try command.decodePayload(Input.self)
        let admins = try command.db.execute(
            "SELECT id::text AS id FROM auth_users WHERE role = 'admin' AND banned_at IS NULL ORDER BY id FOR UPDATE"
        ).compactMap { $0["id"] }
        guard
            let target = try command.db.execute(
                "SELECT \(AuthSQL.accountColumns) FROM auth_users u WHERE lower(u.handle) = lower($1) FOR UPDATE",
                [.text(input.handle)]
            ).first.flatMap(Account.init)
        else { throw AuthErrors.userNotFound }
        let removesAnAdmin = (input.action == "ban" || input.action == "demote") && admins.contains(target.id.description)
        if removesAnAdmin && admins.count <= 1 { throw AuthErrors.lastAdmin }

        let update: String
        var parameters: [DatabaseValue] = [.int(target.id.value)]
        switch input.action {
        case "ban":
            update = "banned_at = coalesce(banned_at, now()), ban_reason = $2"
            parameters.append(.text(input.reason ?? ""))
        case "unban": update = "banned_at = NULL, ban_reason = NULL"
        case "promote": update = "role = 'admin'"
        case "demote": update = "role = 'user'"
        default: throw HTTPError.unprocessable(fields: ["action": "must be ban, unban, promote or demote"])
        }
        guard
            let account = try command.db.execute(
                "UPDATE auth_users u SET \(update), updated_at = now() WHERE u.id = $1 RETURNING \(AuthSQL.accountColumns)",
                parameters
            ).first.flatMap(Account.init)
        else { throw AuthErrors.userNotFound }

        var hashes: [String] = []
        switch input.action {
        case "ban":
            hashes = try endSessions(command, userID: account.id.description)
            try command.raise(AuthEvent.userBanned, payload: UserEvent(userId: account.id, handle: account.handle))
        case "unban":
            try command.raise(AuthEvent.userUnbanned, payload: UserEvent(userId: account.id, handle: account.handle))
        default:
            hashes = try command.db.execute(
                "SELECT token_hash FROM auth_sessions WHERE user_id = $1",
                [.int(account.id.value)]
            ).compactMap { $0.bytes("token_hash").map(Base64URL.encode) }
            if account.role != target.role {
                try command.raise(
                    AuthEvent.userRoleChanged,
                    payload: RoleChanged(userId: account.id, handle: account.handle, role: account.role)
                )
            }
        }
        return try .ok(Moderated(account: account, tokenHashes: hashes))
    }
}
