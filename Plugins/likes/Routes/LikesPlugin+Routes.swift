import AuthContract
import Dispatch
import ImageAppPlugin
import LikesContract
import MediaContract
import PluginSupport
import PostsContract
import ProfilesContract

extension LikesPlugin {
    /// `PUT`/`DELETE /api/v1/posts/{id}/like` and `GET /api/v1/posts/{id}/likes`.
    func registerRoutes(_ registrar: PluginRegistrar) throws {
        try registrar.pendingRoute(
            .put,
            "/api/v1/posts/{id}/like",
            flags: [.requireUser, .nonblocking],
            summary: "Likes a post",
            description: "Idempotent: liking a post you like changes nothing. Answers `{\"liked\": true, \"like_count\"}`; "
                + "404 `post_not_found` for a post that does not exist or is hidden.",
            tag: "likes",
            responseSchema: LikesSchemas.state,
            handler: { [self] request, responder in try setLiked(true, request, responder) }
        )
        try registrar.pendingRoute(
            .delete,
            "/api/v1/posts/{id}/like",
            flags: [.requireUser, .nonblocking],
            summary: "Takes a like back",
            description: "Idempotent. Answers `{\"liked\": false, \"like_count\"}`.",
            tag: "likes",
            responseSchema: LikesSchemas.state,
            handler: { [self] request, responder in try setLiked(false, request, responder) }
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

    /// The change goes to the writer, which checks the post, commits, counts and invalidates the post's cached copies
    /// with the other requests waiting, then answers. Nothing here blocks: the route runs on the event loop when the
    /// session is cached, and no thread waits for the batch.
    private func setLiked(_ liked: Bool, _ request: Request, _ responder: Responder) throws {
        guard let principal = request.principal, principal.userID > 0 else { throw HTTPError.unauthorized() }
        guard let post = request.parameter("id").flatMap(PostID.init) else { throw Self.postNotFound }
        writer.submit(LikeChange(postId: post, userId: UserID(principal.userID), liked: liked)) { [self] result in
            switch result {
            case .failure(let error):
                responder.fail(error)
            case .success(let outcome) where !outcome.found:
                responder.fail(Self.postNotFound)
            case .success(let outcome):
                if let count = outcome.count {
                    responder.complete(Self.state(liked: liked, count: count))
                } else {
                    // Redis lost the counter: rebuilding it blocks, so not on the writer's thread.
                    Self.rebuilds.async { [self] in
                        do {
                            let count = try counter.count(post) { id in
                                try host.dispatchQuery("likes.rows_count", payload: PostRef(postId: id), as: RowsCount.self).count
                            }
                            responder.complete(Self.state(liked: liked, count: count))
                        } catch {
                            responder.fail(error)
                        }
                    }
                }
            }
        }
    }

    /// Where counters Redis lost are rebuilt for answers: a serial queue has a thread of its own while it works, while
    /// blocking work on the global concurrent queues holds one of their few threads (about one per CPU) and delays
    /// everything else the process runs there.
    private static let rebuilds = DispatchQueue(label: "likes.count-rebuild")

    /// `{"like_count", "liked"}`, written directly: the writer's thread answers every like of a batch, and this small
    /// fixed shape needs no encoder (`LikesSchemas.state` documents it).
    private static func state(liked: Bool, count: Int64) -> Response {
        Response.json(raw: "{\"like_count\":\(max(0, count)),\"liked\":\(liked)}")
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

/// The result of `likes.rows_count`.
struct RowsCount: Codable, Sendable {
    var count: Int64
}
