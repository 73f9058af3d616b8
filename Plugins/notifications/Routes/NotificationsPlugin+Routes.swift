import AuthContract
import ImageAppPlugin
import PluginSupport
import RealtimeContract

extension NotificationsPlugin {
    /// `GET /api/v1/notifications`, `GET /api/v1/notifications/unread_count` and `POST /api/v1/notifications/read`.
    func registerRoutes(_ registrar: PluginRegistrar) throws {
        try registrar.route(
            .get,
            "/api/v1/notifications",
            flags: .requireUser,
            summary: "Lists your notifications",
            description: "Newest activity first: likes of one post and new followers are grouped into one notification "
                + "until it is read (`actors` newest first, at most 3; `actor_count` all of them). `?types=like,follow` "
                + "keeps those types (`like`, `comment`, `reply`, `mention`, `follow`; 422 for another); `?limit=` (20, "
                + "at most 40) and `?cursor=`.",
            tag: "notifications",
            responseSchema: NotificationsSchemas.page,
            handler: list
        )
        try registrar.route(
            .get,
            "/api/v1/notifications/unread_count",
            flags: .requireUser,
            summary: "Counts your unread notifications",
            description: "Answers `{\"count\"}`; a grouped notification counts once.",
            tag: "notifications",
            responseSchema: NotificationsSchemas.count,
            handler: unreadCount
        )
        try registrar.route(
            .post,
            "/api/v1/notifications/read",
            flags: .requireUser,
            summary: "Marks notifications read",
            description: "Exactly one of `{\"ids\": [...]}` (at most 100), `{\"up_to\": id}` (that one and every one listed "
                + "after it: the same activity time or older) and `{\"all\": true}`. Answers the new `{\"count\"}`, which "
                + "your other open streams receive as `unread_count`. Unknown or others' ids are skipped.",
            tag: "notifications",
            requestSchema: NotificationsSchemas.readRequest,
            responseSchema: NotificationsSchemas.count,
            maxBodyBytes: 16 * 1024,
            handler: markRead
        )
    }

    private func list(_ request: Request) throws -> Response {
        let user = try Self.caller(request)
        let page = try PageRequest(request)
        let types = try Self.types(request.query("types"))
        let slice = NotificationSlice(userId: user, types: types, beforeTime: page.cursor?.time, beforeId: page.cursor?.id, limit: page.limit + 1)
        let rows = try host.dispatchQuery("notifications.page", payload: slice, as: NotificationRows.self).items
        let kept = Array(rows.prefix(page.limit))
        // The cursor follows the rows, not what is shown: one hidden here must not end the list early.
        let next = rows.count > page.limit ? kept.last.map { PageCursor(time: $0.time, id: $0.id).text } : nil
        return try Self.noStore(Page(items: try render(kept), nextCursor: next))
    }

    private func unreadCount(_ request: Request) throws -> Response {
        let user = try Self.caller(request)
        return try Self.noStore(try host.dispatchQuery("notifications.unread_count", payload: UserRef(userId: user), as: UnreadCount.self))
    }

    private func markRead(_ request: Request) throws -> Response {
        let user = try Self.caller(request)
        var input = try ReadBody(request.body).input
        input.userId = user
        let count = try host.dispatchCommand("notifications.read", payload: input, as: UnreadCount.self)
        // The user's other devices show the new count.
        do {
            try RealtimePush.push(host, to: user.value, type: RealtimePush.MessageType.unreadCount, data: count)
        } catch {
            request.log(.warning, "cannot push the unread count of user \(user): \(error)")
        }
        return try Self.noStore(count)
    }

    /// The signed-in user.
    static func caller(_ request: Request) throws(HTTPError) -> UserID {
        guard let principal = request.principal, principal.userID > 0 else { throw HTTPError.unauthorized() }
        return UserID(principal.userID)
    }

    /// A JSON answer no cache may keep: it is the user's own, and changes with every like.
    static func noStore(_ value: some Encodable) throws -> Response {
        var response = try Response.json(value)
        response.headers.append(("Cache-Control", "no-store"))
        return response
    }

    /// `?types=like,follow`: `nil` (every type) when absent or empty; 422 naming an unknown type.
    static func types(_ text: String?) throws(HTTPError) -> [NotificationType]? {
        guard let text, !text.isEmpty else { return nil }
        var types: [NotificationType] = []
        for name in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard let type = NotificationType(rawValue: String(name)) else {
                throw HTTPError.unprocessable(fields: [
                    "types": "must be a comma-separated list of \(NotificationType.names.joined(separator: ", "))"
                ])
            }
            if !types.contains(type) { types.append(type) }
        }
        return types
    }
}
