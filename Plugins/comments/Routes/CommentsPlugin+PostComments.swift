import AuthContract
import CommentsContract
import ImageAppPlugin
import MediaContract
import PluginSupport

extension CommentsPlugin {
    /// `GET` and `POST /api/v1/posts/{id}/comments`.
    func registerPostCommentRoutes(_ registrar: PluginRegistrar) throws {
        try registrar.route(
            .get,
            "/api/v1/posts/{id}/comments",
            summary: "Lists a post's comments",
            description: "Oldest first, in threads: each top-level comment followed by its replies (`parent_id`), oldest "
                + "first. `?limit=` (default 20, at most 40) and `?cursor=` from `next_cursor`. A deleted comment that "
                + "has replies stays as a placeholder (`deleted`: true, empty `body`, `author` null). 404 "
                + "`post_not_found` for a post that does not exist or whose author is banned.",
            tag: "comments",
            responseSchema: CommentsSchemas.page,
            handler: list
        )
        try registrar.route(
            .post,
            "/api/v1/posts/{id}/comments",
            flags: .requireUser,
            summary: "Comments on a post",
            description: "A `body` of at most \(rules.bodyRule.maxScalars) characters (trimmed; not blank), and for a reply "
                + "the `parent_id` of a comment on the same post: replies are one level deep, so a reply to a reply joins "
                + "the top-level comment's thread (422 for a parent that is not a shown comment of this post). `@handle` "
                + "mentions are resolved into `mentions`. Answers 201 with the comment.",
            tag: "comments",
            requestSchema: schemas.newComment,
            responseSchema: CommentsSchemas.comment,
            successStatus: 201,
            maxBodyBytes: 64 * 1024,
            handler: create
        )
    }

    private func list(_ request: Request) throws -> Response {
        let post = try postID(request)
        let page = try PageRequest(request)
        let postAuthor = try postAuthor(post)
        let slice = CommentSlice(postId: post, afterThread: page.cursor?.time ?? 0, afterId: page.cursor?.id ?? 0, limit: page.limit + 1)
        let rows = try host.dispatchQuery("comments.page", payload: slice, as: CommentRows.self).comments
        let kept = Array(rows.prefix(page.limit))
        let people = try summaries([postAuthor] + kept.compactMap(\.authorId) + kept.compactMap(\.parentAuthorId))
        guard people[postAuthor] != nil else { throw Self.postNotFound }
        // The cursor follows the rows, not what is shown: a comment hidden here must not end the list early.
        let next = rows.count > page.limit ? kept.last.map { PageCursor(time: ($0.parentId ?? $0.id).value, id: $0.id.value).text } : nil
        return try .json(Page(items: views(kept, people: people), nextCursor: next))
    }

    private func create(_ request: Request) throws -> Response {
        let caller = try caller(request)
        let post = try postID(request)
        let input = try NewCommentBody(body: request.body, rules: rules)
        let postAuthor = try postAuthor(post)
        let people = try summaries([caller, postAuthor])
        guard people[postAuthor] != nil else { throw Self.postNotFound }
        guard let author = people[caller] else { throw HTTPError.notFound("The account no longer exists.", code: "user_not_found") }
        let comment = try host.dispatchCommand(
            "comments.create",
            payload: NewComment(
                postId: post,
                postAuthorId: postAuthor,
                authorId: caller,
                parentId: input.parentId,
                body: input.body.text,
                mentions: try mentions(input.body.handles)
            ),
            as: StoredComment.self
        )
        postsChanged([post], request)
        return try .json(comment.view(author: author), status: 201)
    }

    /// The caller; routes that need one are registered with `.requireUser`, so the host has answered 401 without one.
    func caller(_ request: Request) throws(HTTPError) -> UserID {
        guard let principal = request.principal, principal.userID > 0 else { throw .unauthorized() }
        return UserID(principal.userID)
    }

    /// The post `{id}` of the path; 404 for anything that is not a post id.
    private func postID(_ request: Request) throws(HTTPError) -> PostID {
        guard let id = request.parameter("id").flatMap(PostID.init) else { throw Self.postNotFound }
        return id
    }
}
