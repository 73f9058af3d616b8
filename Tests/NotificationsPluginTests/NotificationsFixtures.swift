import Foundation
import ImageAppTesting

/// A host with the posts plugins, `likes`, `comments`, `follows`, `realtime` and `notifications` (extra lines for its
/// section); `role` is the first instance's.
func withNotifications(
    _ lines: String = "",
    role: String = "all",
    _ body: (AccountsHost) async throws -> Void
) async throws {
    try await withPosts(
        auth: "signup_per_ip_limit = 1000",
        role: role,
        plugins: { resources in
            """
            [plugins.likes]
            enabled = true
            flush_interval_ms = 200
            redis_prefix = "\(resources.namespace):likes"

            [plugins.comments]
            enabled = true

            [plugins.follows]
            enabled = true

            [plugins.realtime]
            enabled = true

            [plugins.notifications]
            enabled = true
            \(lines)
            """
        },
        body
    )
}

extension AccountsHost {
    /// The user's notifications (first page), as `GET /api/v1/notifications` answers them.
    func notifications(_ token: String, query: String = "") async throws -> [[String: Any]] {
        let response = try await send("GET", "/api/v1/notifications" + query, token: token)
        guard response.status == 200 else { throw HostProcessError(message: "notifications: \(response.status) \(response.text)") }
        return response.json["items"] as? [[String: Any]] ?? []
    }

    /// Waits until the user's notifications satisfy `done`, and returns them.
    func notifications(_ token: String, until done: @escaping ([[String: Any]]) -> Bool) async throws -> [[String: Any]] {
        try await eventually(timeout: .seconds(30)) {
            try await self.notifications(token)
        } until: {
            done($0)
        }
    }

    /// `GET /api/v1/notifications/unread_count`.
    func unreadCount(_ token: String) async throws -> Int? {
        try await send("GET", "/api/v1/notifications/unread_count", token: token).json["count"] as? Int
    }

    /// Comments on a post (or replies to `parent`) and returns the new comment's id.
    func commentID(token: String, on post: String, _ body: String, parent: String? = nil) async throws -> String {
        var json: [String: Any] = ["body": body]
        if let parent { json["parent_id"] = parent }
        let response = try await send("POST", "/api/v1/posts/\(post)/comments", json: json, token: token)
        guard response.status == 201, let id = response.json["id"] as? String else {
            throw HostProcessError(message: "comment: \(response.status) \(response.text)")
        }
        return id
    }

    /// Likes a post, expecting success.
    func like(_ post: String, token: String) async throws {
        let response = try await send("PUT", "/api/v1/posts/\(post)/like", token: token)
        guard response.status == 200 else { throw HostProcessError(message: "like: \(response.status) \(response.text)") }
    }

    /// Opens `GET /api/v1/stream` as a WebSocket on `instance` for `token`, and waits until this user's streams have
    /// `subscribers` Redis subscriptions (one per instance with a stream).
    func socket(on instance: HostProcess, token: String, userID: String, subscribers: Int = 1) async throws -> WebSocketClient {
        let client = try WebSocketClient(port: instance.baseURL.port!, path: "/api/v1/stream", headers: ["Authorization": "Bearer \(token)"])
        await client.read(timeout: .seconds(10)) { $0.status != nil }
        guard client.status == 101 else { throw HostProcessError(message: "stream: \(String(describing: client.status))") }
        let channel = "\(namespace):rt:realtime.user:\(userID)"
        _ = try await eventually(timeout: .seconds(30)) {
            let reply = RedisKeys.run(["PUBSUB", "NUMSUB", channel]) ?? []
            return reply.count == 2 ? Int(reply[1] ?? "") ?? 0 : 0
        } until: {
            $0 == subscribers
        }
        return client
    }
}

/// A realtime message's type and data.
func decodedMessages(_ client: WebSocketClient) -> [(type: String, data: [String: Any])] {
    client.messages.compactMap { text in
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let type = object["type"] as? String, let data = object["data"] as? [String: Any]
        else { return nil }
        return (type, data)
    }
}

/// The handles of a notification's actors.
func actorHandles(_ notification: [String: Any]?) -> [String] {
    (notification?["actors"] as? [[String: Any]] ?? []).compactMap { $0["handle"] as? String }
}
