import Foundation
import ImageAppTesting

/// A host with the posts plugins (``withPosts(media:posts:plugins:_:)``) and `comments` (extra lines for its section).
func withComments(comments: String = "", _ body: (AccountsHost) async throws -> Void) async throws {
    try await withPosts(plugins: { _ in "[plugins.comments]\nenabled = true\n\(comments)" }, body)
}

extension AccountsHost {
    /// `POST /api/v1/posts/{post}/comments` with `body` (and `parent_id` when `parent` is given).
    func comment(token: String?, on post: String, _ body: String, parent: String? = nil) async throws -> HTTPResult {
        var json: [String: Any] = ["body": body]
        if let parent { json["parent_id"] = parent }
        return try await send("POST", "/api/v1/posts/\(post)/comments", json: json, token: token)
    }

    /// Comments and returns the new comment's id.
    func commentID(token: String, on post: String, _ body: String, parent: String? = nil) async throws -> String {
        let response = try await comment(token: token, on: post, body, parent: parent)
        guard response.status == 201, let id = response.json["id"] as? String else {
            throw HostProcessError(message: "comment: \(response.status) \(response.text)")
        }
        return id
    }

    /// Every comment of `post`, page by page (`limit` each), in the list's order.
    func comments(of post: String, limit: Int = 40, token: String? = nil) async throws -> [[String: Any]] {
        var items: [[String: Any]] = []
        var cursor: String?
        repeat {
            let page = try await send("GET", "/api/v1/posts/\(post)/comments?limit=\(limit)" + (cursor.map { "&cursor=\($0)" } ?? ""), token: token)
            guard page.status == 200 else { throw HostProcessError(message: "comments: \(page.status) \(page.text)") }
            let found = page.json["items"] as? [[String: Any]] ?? []
            guard found.count <= limit else { throw HostProcessError(message: "a page of \(found.count) for limit \(limit)") }
            items += found
            cursor = page.json["next_cursor"] as? String
        } while cursor != nil && items.count < 1_000
        return items
    }

    /// The `comment_count` that `GET /api/v1/posts/{post}` shows.
    func commentCount(of post: String) async throws -> Int? {
        try await send("GET", "/api/v1/posts/\(post)").json["comment_count"] as? Int
    }
}

/// The ids of `comments`, in order.
func ids(_ comments: [[String: Any]]) -> [String] {
    comments.compactMap { $0["id"] as? String }
}

/// `object` as JSON text with sorted keys, for comparing documents.
func sortedJSON(_ object: [String: Any]) throws -> String {
    String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
}
