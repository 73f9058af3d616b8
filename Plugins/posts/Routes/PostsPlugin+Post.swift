import AuthContract
import ImageAppPlugin
import MediaContract
import PluginSupport
import PostsContract

extension PostsPlugin {
    /// `GET`, `PATCH`, `DELETE /api/v1/posts/{id}` and `DELETE /api/v1/admin/posts/{id}`.
    func registerPostRoutes(_ registrar: PluginRegistrar) throws {
        try registrar.route(
            .get,
            "/api/v1/posts/{id}",
            flags: registrar.host.supportsWouldBlock ? .nonblocking : [],
            summary: "Shows a post",
            description: "The post in the shared shape; `liked` is the signed-in viewer's. 404 `post_not_found` for a "
                + "post that does not exist or whose author is banned.",
            tag: "posts",
            responseSchema: PostsSchemas.post,
            handler: show
        )
        try registrar.route(
            .patch,
            "/api/v1/posts/{id}",
            flags: .requireUser,
            summary: "Edits a post",
            description: "The author changes the `caption` (hashtags and mentions are read again) and the `alt` texts "
                + "of the post's media (`{\"<media id>\": \"text\" or null}`); `edited_at` is set. 403 for someone "
                + "else's post.",
            tag: "posts",
            requestSchema: PostsSchemas.edit,
            responseSchema: PostsSchemas.post,
            maxBodyBytes: 64 * 1024,
            handler: edit
        )
        try registrar.route(
            .delete,
            "/api/v1/posts/{id}",
            flags: .requireUser,
            summary: "Deletes a post",
            description: "The author, or an admin, deletes the post; its images are deleted after it. Answers 204.",
            tag: "posts",
            successStatus: 204,
            handler: delete
        )
        try registrar.route(
            .delete,
            "/api/v1/admin/posts/{id}",
            flags: .requireAdmin,
            summary: "Deletes any post (moderation)",
            description: "Admins only. Deletes the post and its images. Answers 204.",
            tag: "admin",
            successStatus: 204,
            handler: moderate
        )
    }

    private func show(_ request: Request) throws -> Response {
        let id = try postID(request)
        let viewer = request.principal.flatMap { $0.userID > 0 ? UserID($0.userID) : nil }
        let posts = try applyingLiked(renderedBodies([id], canBlock: request.canBlock), viewer: viewer, canBlock: request.canBlock)
        guard let post = posts.first else { throw Self.postNotFound }
        return Response(status: 200, headers: [("Content-Type", "application/json")], body: post.body)
    }

    private func edit(_ request: Request) throws -> Response {
        let author = try caller(request)
        let id = try postID(request)
        let edit = try PostEdit(body: request.body)
        let current = try storedPost(id)
        guard current.authorId == author else { throw HTTPError.forbidden("Only the author can edit a post.") }
        guard !edit.isEmpty else { return try respond(current, viewer: author) }
        let unknown = edit.alt.keys.filter { !current.mediaIds.contains($0) }
        guard unknown.isEmpty else { throw HTTPError.unprocessable(fields: ["alt": "must name media of this post"]) }
        for (mediaID, alt) in edit.alt.sorted(by: { $0.key < $1.key }) {
            _ = try host.dispatchCommand(MediaCommand.setAlt, payload: SetAltInput(ownerId: author, mediaId: mediaID, alt: alt), as: MediaView.self)
        }
        let caption = try edit.caption.map { caption throws(HTTPError) in
            PostUpdate.Caption(text: caption.text, tags: caption.tags, mentions: try mentions(caption.handles))
        }
        let updated = try host.dispatchCommand("posts.update", payload: PostUpdate(id: id, authorId: author, caption: caption), as: StoredPost.self)
        postChanged(id, request)
        return try respond(updated, viewer: author)
    }

    private func delete(_ request: Request) throws -> Response {
        let caller = try caller(request)
        let id = try postID(request)
        let current = try storedPost(id)
        guard current.authorId == caller || request.principal?.isAdmin == true else {
            throw HTTPError.forbidden("Only the author or an admin can delete a post.")
        }
        return try remove(id, request)
    }

    private func moderate(_ request: Request) throws -> Response {
        try remove(try postID(request), request)
    }

    /// Deletes post `id` (its media goes when `post.deleted` is handled) and drops cached copies; 204.
    private func remove(_ id: PostID, _ request: Request) throws -> Response {
        let deleted = try host.dispatchCommand("posts.delete", payload: PostRef(postId: id).asIDPayload, as: DeletedPosts.self)
        guard !deleted.posts.isEmpty else { throw Self.postNotFound }
        postChanged(id, request)
        return Response(status: 204)
    }

    /// The post as stored; 404 when there is none.
    private func storedPost(_ id: PostID) throws(HTTPError) -> StoredPost {
        guard let post = try host.dispatchQuery("posts.rows", payload: PostIDs(postIds: [id]), as: DeletedPosts.self).posts.first else {
            throw Self.postNotFound
        }
        return post
    }

    /// The answer with post `post`, as `viewer` sees it (rendered afresh: it just changed).
    private func respond(_ post: StoredPost, viewer: UserID) throws -> Response {
        let rendered = try applyingLiked(renderedBodies(of: [post]), viewer: viewer, canBlock: true)
        guard let body = rendered.first?.body else { throw Self.postNotFound }
        return Response(status: 200, headers: [("Content-Type", "application/json")], body: body)
    }

    /// The `{id}` of the path; 404 for anything that is not a post id.
    func postID(_ request: Request) throws(HTTPError) -> PostID {
        guard let id = request.parameter("id").flatMap(PostID.init) else { throw Self.postNotFound }
        return id
    }

    /// Drops every cached copy of post `id` after a change (on every instance).
    func postChanged(_ id: PostID, _ request: Request? = nil) {
        do {
            try GuardedCache.changed(tag: PostsCollaboration.cacheTag(id), host: host)
        } catch {
            let message = "cannot invalidate the cache of post \(id): \(error)"
            if let request { request.log(.warning, message) } else { host.log(.warning, message) }
        }
    }
}

extension PostRef {
    /// `{"id"}`, the payload of `posts.delete`.
    var asIDPayload: [String: PostID] { ["id": postId] }
}
