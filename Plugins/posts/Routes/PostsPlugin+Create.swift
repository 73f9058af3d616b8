import AuthContract
import ImageAppPlugin
import MediaContract
import PostsContract

extension PostsPlugin {
    /// `POST /api/v1/posts`.
    func registerCreateRoute(_ registrar: PluginRegistrar) throws {
        try registrar.route(
            .post,
            "/api/v1/posts",
            flags: .requireUser,
            summary: "Publishes a post",
            description: "Publishes `media_ids` (1 to 10 of your own media from `POST /api/v1/media`, not on another "
                + "post; shown in that order) with an optional `caption` of at most 2,200 characters. Hashtags "
                + "(`#café`, up to 30) and mentions (`@handle`, up to 20; unknown handles stay plain text) are read "
                + "from the caption. 422 `invalid_media` when a media id cannot be used; answers 201 with the post.",
            tag: "posts",
            requestSchema: PostsSchemas.newPost,
            responseSchema: PostsSchemas.post,
            successStatus: 201,
            maxBodyBytes: 64 * 1024,
            handler: create
        )
    }

    private func create(_ request: Request) throws -> Response {
        let author = try caller(request)
        let body = try NewPostBody(body: request.body)
        let post = try publish(author: author, caption: body.caption, mediaIDs: body.mediaIds)
        guard let rendered = try renderedBodies(of: [post]).first else { throw Self.postNotFound }
        return Response(status: 201, headers: [("Content-Type", "application/json")], body: rendered.body)
    }

    /// Attaches the media to a new post id, then creates the post (which raises `post.created`). Should the creation
    /// fail after the media was attached, the media is detached again so that the client can retry with it.
    func publish(author: UserID, caption: PostRules.Caption, mediaIDs: [MediaID]) throws -> StoredPost {
        let mentions = try self.mentions(caption.handles)
        let reserved = try host.dispatchCommand("posts.reserve_id", payload: EmptyPayload(), as: ReservedID.self)
        guard let id = PostID(reserved.id) else { throw HTTPError.internalError }
        _ = try host.dispatchCommand(
            MediaCommand.attach,
            payload: AttachMediaInput(ownerId: author, postId: id, mediaIds: mediaIDs),
            as: MediaList.self
        )
        do {
            return try host.dispatchCommand(
                "posts.create",
                payload: NewPost(id: id, authorId: author, caption: caption.text, tags: caption.tags, mentions: mentions, mediaIds: mediaIDs),
                as: StoredPost.self
            )
        } catch {
            do {
                _ = try host.dispatchCommand(MediaCommand.detach, payload: AttachMediaInput(ownerId: author, postId: id, mediaIds: mediaIDs))
            } catch let detachError {
                host.log(.error, "post \(id) was not created and its media could not be detached: \(detachError)")
            }
            throw error
        }
    }

    /// The caller; routes that need one are registered with `.requireUser`, so the host has answered 401 without one.
    func caller(_ request: Request) throws(HTTPError) -> UserID {
        guard let principal = request.principal, principal.userID > 0 else { throw .unauthorized() }
        return UserID(principal.userID)
    }
}

/// `{}`.
struct EmptyPayload: Codable, Sendable {}

/// The result of `posts.reserve_id`.
struct ReservedID: Codable, Sendable {
    var id: String
}
