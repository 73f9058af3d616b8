import AuthContract
import ImageAppPlugin
import MediaContract
import PostsContract

extension PostsPlugin {
    /// `POST /api/v1/posts`: one route for a JSON body (`media_ids` uploaded before) or a form with the images
    /// themselves (ABI 1.13 form-or-body routes).
    func registerCreateRoute(_ registrar: PluginRegistrar) throws {
        let maxImage = settings.maxImageBytes
        try registrar.multipartRoute(
            .post,
            "/api/v1/posts",
            flags: .requireUser,
            summary: "Publishes a post",
            description: "Either JSON with `media_ids` (1 to 10 of your own media from `POST /api/v1/media`, not on "
                + "another post; shown in that order) and an optional `caption`, or `multipart/form-data` with the images "
                + "themselves: 1 to 10 file parts named `images` (each at most \(maxImage) bytes, processed like "
                + "`POST /api/v1/media`), optional `alt` fields in the same order, and `caption`. The caption has at most "
                + "2,200 characters; hashtags (`#café`, up to 30) and mentions (`@handle`, up to 20; unknown handles stay "
                + "plain text) are read from it. 422 `invalid_media` when a media id cannot be used; an image's refusal "
                + "(415, 422 `image_too_large`, 503 `server_busy`) names it in `details` as `images[N]`. Answers 201 with "
                + "the post.",
            tag: "posts",
            requestSchema: PostsSchemas.newPostForm,
            responseSchema: PostsSchemas.post,
            successStatus: 201,
            limits: MultipartLimits(
                maxParts: 2 * MediaLimits.perPost + 1,
                maxPartBytes: maxImage,
                maxTotalBytes: MediaLimits.perPost * maxImage + 64 * 1024
            ),
            metadata: ["rate_limit": "uploads"],  // the upload budget of `ratelimit`: a post publishes images
            alsoAcceptsBody: PostsSchemas.newPost,
            handler: create
        )
    }

    private func create(_ request: Request) throws -> Response {
        let author = try caller(request)
        let post: StoredPost
        if request.isMultipart {
            let form = try NewPostForm(request)
            let mediaIDs = try form.images.enumerated().map { index, image in
                try ingest(image, alt: form.alts[index], owner: author, index: index)
            }
            post = try publish(author: author, caption: form.caption, mediaIDs: mediaIDs)
        } else {
            let body = try NewPostBody(body: request.body)
            post = try publish(author: author, caption: body.caption, mediaIDs: body.mediaIds)
        }
        guard let rendered = try renderedBodies(of: [post]).first else { throw Self.postNotFound }
        return Response(status: 201, headers: [("Content-Type", "application/json")], body: rendered.body)
    }

    /// One image of the form made into media by the `media` plugin (`media.ingest`): a refusal keeps its status and
    /// code and names the image (`images[N]`) in `details`; `server_busy` gets its `Retry-After` back (headers do not
    /// cross a dispatch). Images made before a later one is refused stay unattached and are deleted with other
    /// unattached media.
    private func ingest(_ image: MultipartPart, alt: String?, owner: UserID, index: Int) throws -> MediaID {
        do {
            let media = try image.withFile { path in
                try host.dispatchCommand(MediaCommand.ingest, payload: IngestMediaInput(ownerId: owner, path: path, alt: alt), as: MediaView.self)
            }
            return media.id
        } catch let refusal as HTTPError where refusal.status < 500 || refusal.code == "server_busy" {
            throw HTTPError(
                status: refusal.status,
                code: refusal.code,
                message: "Image \(index + 1): \(refusal.message)",
                details: ["images[\(index)]": refusal.details.values.sorted().first ?? refusal.message],
                headers: refusal.code == "server_busy" ? ["Retry-After": "2"] : [:]
            )
        }
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
