import AuthContract
import ImageAppPlugin
import PluginSupport

extension AuthPlugin {
    /// `GET /api/v1/auth/sessions` and `DELETE /api/v1/auth/sessions/{id}`.
    func registerSessionRoutes(_ registrar: PluginRegistrar) throws {
        try registrar.route(
            .get,
            "/api/v1/auth/sessions",
            flags: .requireUser,
            summary: "Lists your sessions",
            description:
                "Your own sessions, newest first, with device (user agent), address, creation and last use; `current` marks this one. Cursor-paginated.",
            tag: "auth",
            responseSchema: """
                {"type":"object","required":["items","next_cursor"],"properties":{\
                "items":{"type":"array","items":\(Self.sessionSchema)},"next_cursor":{"type":["string","null"]}}}
                """,
            handler: listSessions
        )
        try registrar.route(
            .delete,
            "/api/v1/auth/sessions/{id}",
            flags: .requireUser,
            summary: "Ends one of your sessions",
            description: "Signs that device out at once, on every instance. Another user's session is 404, like one that does not exist.",
            tag: "auth",
            successStatus: 204,
            handler: endSession
        )
    }

    private func listSessions(_ request: Request) throws -> Response {
        let page = try PageRequest(request)
        var result = try host.dispatchQuery(
            "auth.sessions",
            payload: SessionsQuery(userId: try userID(request), limit: page.limit, cursor: page.cursor?.id),
            as: Page<SessionInfo>.self
        )
        let current = request.attribute(AuthAttribute.sessionID)
        for index in result.items.indices { result.items[index].current = result.items[index].id == current }
        return try .json(result)
    }

    private func endSession(_ request: Request) throws -> Response {
        let id = request.parameter("id") ?? ""
        guard !id.isEmpty, id.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }), id.utf8.count <= 19 else {
            throw AuthErrors.sessionNotFound
        }
        let ended = try host.dispatchCommand(
            "auth.end_session",
            payload: ["user_id": try userID(request), "session_id": id],
            as: EndedSessions.self
        )
        evictSessions(ended.tokenHashes)
        return id == request.attribute(AuthAttribute.sessionID) ? clearingCookies(.noContent) : .noContent
    }
}
