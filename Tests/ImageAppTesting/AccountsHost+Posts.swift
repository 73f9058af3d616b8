import Foundation

/// A host with `auth`, `profiles`, `storage-fs`, `media` and `posts` (extra lines for the last two), and further
/// plugin sections from `plugins` (likes, comments...), made on the test's resources; `auth` extra lines for its
/// section and `role` the first instance's role, as for ``withAccounts(auth:profiles:host:plugins:role:_:)``.
public func withPosts(
    auth: String = "",
    media: String = "",
    posts: String = "",
    role: String = "all",
    plugins: @escaping (TestResources) -> String = { _ in "" },
    _ body: (AccountsHost) async throws -> Void
) async throws {
    try await withAccounts(
        auth: auth,
        plugins: { resources in
            """
            [plugins.media]
            enabled = true
            \(media)

            [plugins.posts]
            enabled = true
            redis_prefix = "\(resources.namespace):posts"
            \(posts)

            \(plugins(resources))
            """
        },
        role: role,
        body
    )
}

extension AccountsHost {
    /// The Redis key prefix of the test's resources (plugin `redis_prefix` settings start with it).
    public var namespace: String { testHost.resources.namespace }

    /// Uploads a real 1×1 PNG (red, or blue when `blue`) and returns the media id.
    public func uploadMedia(token: String, blue: Bool = false, alt: String? = nil) async throws -> String {
        let boundary = "posts-test-boundary-41c2"
        var parts: [(disposition: String, type: String?, bytes: [UInt8])] = [
            ("form-data; name=\"file\"; filename=\"p.png\"", "image/png", blue ? ImageFixtures.bluePixelPNG : ImageFixtures.redPixelPNG)
        ]
        if let alt { parts.append(("form-data; name=\"alt\"", nil, Array(alt.utf8))) }
        let response = try await host.request(
            "POST",
            "/api/v1/media",
            headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)", "Authorization": "Bearer \(token)"],
            body: MultipartForm.body(parts, boundary: boundary)
        )
        guard response.status == 201 || response.status == 200, let id = response.json["id"] as? String else {
            throw HostProcessError(message: "upload: \(response.status) \(response.text)")
        }
        return id
    }

    /// `POST /api/v1/posts` with JSON.
    public func post(token: String?, caption: String? = nil, mediaIDs: [String]) async throws -> HTTPResult {
        var body: [String: Any] = ["media_ids": mediaIDs]
        if let caption { body["caption"] = caption }
        return try await send("POST", "/api/v1/posts", json: body, token: token)
    }

    /// Publishes a post of one new upload and returns its id.
    public func publish(token: String, caption: String = "") async throws -> String {
        let media = try await uploadMedia(token: token)
        let response = try await post(token: token, caption: caption, mediaIDs: [media])
        guard response.status == 201, let id = response.json["id"] as? String else {
            throw HostProcessError(message: "post: \(response.status) \(response.text)")
        }
        return id
    }

    /// The files under the media folder (blob keys).
    public func storedFiles() -> Set<String> {
        Set(storedFiles(under: ""))
    }
}
