import AuthContract
import Foundation
import ImageAppPlugin
import PluginSupport

extension AuthPlugin {
    /// `GET /api/v1/admin/users` and `POST /api/v1/admin/users/{handle}/{ban,unban,promote,demote}` (admins only).
    func registerAdminRoutes(_ registrar: PluginRegistrar) throws {
        try registrar.route(
            .get,
            "/api/v1/admin/users",
            flags: .requireAdmin,
            summary: "Lists accounts",
            description: "Newest first, cursor-paginated; `q` is a case-insensitive prefix of the handle or the email.",
            tag: "admin",
            responseSchema: """
                {"type":"object","required":["items","next_cursor"],"properties":{\
                "items":{"type":"array","items":\(Self.adminAccountSchema)},"next_cursor":{"type":["string","null"]}}}
                """,
            handler: listUsers
        )
        let actions: [(String, String, String)] = [
            (
                "ban", "Bans an account",
                "Needs a `reason` (1-500 characters). Ends every session of the account at once; it can no longer sign in. The last active admin cannot be banned (409 `last_admin`)."
            ),
            ("unban", "Lifts a ban", "The account can sign in again."),
            ("promote", "Makes an account an admin", "Takes effect on the account's open sessions at once."),
            ("demote", "Makes an admin a regular user", "The last active admin cannot be demoted (409 `last_admin`)."),
        ]
        for (action, summary, description) in actions {
            try registrar.route(
                .post,
                "/api/v1/admin/users/{handle}/\(action)",
                flags: .requireAdmin,
                summary: summary,
                description: description,
                tag: "admin",
                requestSchema: action == "ban"
                    ? AuthSchemas.ban
                    : "",
                responseSchema: Self.adminAccountSchema
            ) { request in
                try moderate(request, action: action)
            }
        }
    }

    private func listUsers(_ request: Request) throws -> Response {
        let page = try PageRequest(request)
        var problems = FieldProblems()
        let q = request.query("q").map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        if let q, q.count > 254 { problems.check("q", "must be at most 254 characters") }
        if let q, AccountRules.hasControlCharacters(q) {
            problems.check("q", "must not contain control characters")
        }
        try problems.throwIfAny()
        let result = try host.dispatchQuery(
            "auth.admin_users",
            payload: AdminUsersQuery(limit: page.limit, cursor: page.cursor?.id, q: q),
            as: Page<Account>.self
        )
        return try .json(result)
    }

    private func moderate(_ request: Request, action: String) throws -> Response {
        var reason: String?
        if action == "ban" {
            struct Input: Decodable { var reason: String? }
            let input = try request.decode(Input.self)
            var problems = FieldProblems()
            let text = problems.required("reason", input.reason?.trimmingCharacters(in: .whitespacesAndNewlines))
            if text.unicodeScalars.count > 500 { problems.check("reason", "must be at most 500 characters") }
            if text.unicodeScalars.contains(where: { $0 == "\u{0}" }) { problems.check("reason", "must not contain NUL characters") }
            try problems.throwIfAny()
            reason = text
        }
        let result = try host.dispatchCommand(
            "auth.moderate",
            payload: ModeratePayload(handle: request.parameter("handle") ?? "", action: action, reason: reason),
            as: Moderated.self
        )
        evictSessions(result.tokenHashes)
        accountChanged(result.account.id.description, request: request)
        request.log(.notice, "admin @\(request.principal?.handle ?? "?") did \(action) on @\(result.account.handle)")
        return try .json(result.account)
    }

    /// JSON Schema of ``Account`` as admins see it.
    static let adminAccountSchema = """
        {"type":"object","required":["id","handle","email","role","email_verified","created_at","banned"],"properties":{\
        "id":{"type":"string"},"handle":{"type":"string"},"email":{"type":"string"},\
        "role":{"type":"string","enum":["user","admin"]},"email_verified":{"type":"boolean"},\
        "created_at":{"type":"string","format":"date-time"},"banned":{"type":"boolean"},\
        "ban_reason":{"type":["string","null"]},"banned_at":{"type":["string","null"],"format":"date-time"}}}
        """
}
