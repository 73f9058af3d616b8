import AuthContract
import ImageAppPlugin
import LikesContract
import MediaContract
import PluginSupport
import PostsContract
import ProfilesContract

extension LikesPlugin {
    /// `PUT`/`DELETE /api/v1/posts/{id}/like` and `GET /api/v1/posts/{id}/likes`.
    func registerRoutes(_ registrar: PluginRegistrar) throws {
        try registrar.route(
            .put,
            "/api/v1/posts/{id}/like",
            flags: .requireUser,
            summary: "Likes a post",
            description: "Idempotent: liking a post you like changes nothing. Answers `{\"liked\": true, \"like_count\"}`; "
                + "404 `post_not_found` for a post that does not exist or is hidden.",
            tag: "likes",
            responseSchema: LikesSchemas.state,
            handler: { [self] request in try setLiked(true, request) }
        )
        try registrar.route(
            .delete,
            "/api/v1/posts/{id}/like",
            flags: .requireUser,
            summary: "Takes a like back",
            description: "Idempotent. Answers `{\"liked\": false, \"like_count\"}`.",
            tag: "likes",
            responseSchema: LikesSchemas.state,
            handler: { [self] request in try setLiked(false, request) }
        )
        try registrar.route(
            .get,
            "/api/v1/posts/{id}/likes",
            summary: "Lists who likes a post",
            description: "User summaries, newest like first; `?limit=` (20, at most 40) and `?cursor=`.",
            tag: "likes",
            responseSchema: UserSummarySchemas.page,
            handler: likers
        )
    }

    /// The change goes to the writer, which checks the post, commits and counts with the other requests waiting.
    private func setLiked(_ liked: Bool, _ request: Request) throws -> Response {
        guard let principal = request.principal, principal.userID > 0 else { throw HTTPError.unauthorized() }
        guard let post = request.parameter("id").flatMap(PostID.init) else { throw Self.postNotFound }
        let outcome = try writer.write(LikeChange(postId: post, userId: UserID(principal.userID), liked: liked))
        guard outcome.found else { throw Self.postNotFound }
        if outcome.changed {
            do {
                try GuardedCache.changed(tag: PostsCollaboration.cacheTag(post), host: host)
            } catch {
                request.log(.warning, "cannot invalidate the cache of post \(post): \(error)")
            }
        }
        let likeCount =
            try outcome.count
            ?? counter.count(post) { id in
                try host.dispatchQuery("likes.rows_count", payload: PostRef(postId: id), as: RowsCount.self).count
            }
        return try Response.json(LikeState(liked: liked, likeCount: max(0, likeCount)))
    }

    private func likers(_ request: Request) throws -> Response {
        let post = try visiblePost(request)
        let page = try PageRequest(request)
        let slice = LikersSlice(postId: post.postId, beforeTime: page.cursor?.time, beforeUser: page.cursor?.id, limit: page.limit + 1)
        let rows = try host.dispatchQuery("likes.likers", payload: slice, as: Likers.self).items
        let kept = Array(rows.prefix(page.limit))
        let summaries = try host.dispatchQuery(ProfilesQuery.summaries, payload: UserIDs(userIds: kept.map(\.userId)), as: UserSummaryList.self)
        let next = rows.count > page.limit ? kept.last.map { PageCursor(time: $0.time, id: $0.userId.value).text } : nil
        return try Response.json(Page(items: summaries.items, nextCursor: next))
    }

    /// The post of the path and its author; 404 when it does not exist or is hidden. One indexed read in `posts`
    /// (`posts.visible_authors`), not the rendered post: a like changes the post's count, so its rendered copy is
    /// usually just invalidated when the next like comes.
    private func visiblePost(_ request: Request) throws(HTTPError) -> PostAuthors.Item {
        guard let id = request.parameter("id").flatMap(PostID.init) else { throw Self.postNotFound }
        let found = try host.dispatchQuery(PostsQuery.visibleAuthors, payload: PostIDs(postIds: [id]), as: PostAuthors.self)
        guard let post = found.items.first(where: { $0.postId == id }) else { throw Self.postNotFound }
        return post
    }

    private static var postNotFound: HTTPError { .notFound("There is no such post.", code: "post_not_found") }
}

/// `{"liked", "like_count"}`.
struct LikeState: Codable, Sendable {
    var liked: Bool
    var likeCount: Int64
}

/// The result of `likes.rows_count`.
struct RowsCount: Codable, Sendable {
    var count: Int64
}
