import AuthContract
import ImageAppPlugin
import MediaContract
import PluginSupport
import PostsContract

extension PostsPlugin {
    /// `GET /api/v1/users/{handle}/posts` and `GET /api/v1/tags/{tag}/posts`: newest first, cursor-paginated.
    func registerListRoutes(_ registrar: PluginRegistrar) throws {
        try registrar.route(
            .get,
            "/api/v1/users/{handle}/posts",
            summary: "Lists a user's posts",
            description: "Newest first; `?limit=` (default 20, at most 40) and `?cursor=` from `next_cursor`. 404 "
                + "`user_not_found` for an unknown or banned user.",
            tag: "posts",
            responseSchema: PostsSchemas.page,
            handler: userPosts
        )
        try registrar.route(
            .get,
            "/api/v1/tags/{tag}/posts",
            summary: "Lists the posts with a hashtag",
            description: "Newest first, paginated like the user's posts. The tag is matched without `#` and "
                + "case-insensitively (`Café` finds `#café`); one that could not be a hashtag is 404 `tag_not_found`.",
            tag: "posts",
            responseSchema: PostsSchemas.page,
            handler: tagPosts
        )
    }

    private func userPosts(_ request: Request) throws -> Response {
        let handle = request.parameter("handle") ?? ""
        let notFound = HTTPError.notFound("There is no user with this handle.", code: "user_not_found")
        guard (1...64).contains(handle.count),
            handle.unicodeScalars.allSatisfy({ $0.isASCII && $0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" })
        else { throw notFound }
        let page = try PageRequest(request)
        let account: PublicAccount
        do {
            account = try host.dispatchQuery(AuthQuery.accountByHandle, payload: HandleRef(handle: handle), as: PublicAccount.self)
        } catch {
            throw error.status == 404 ? notFound : error
        }
        guard !account.banned else { throw notFound }
        return try listResponse(
            ListSlice(authorId: account.id, tag: nil, before: page.cursor?.id, limit: page.limit + 1),
            "posts.by_author",
            page,
            request
        )
    }

    private func tagPosts(_ request: Request) throws -> Response {
        guard let tag = request.parameter("tag").flatMap(PostRules.tag(fromPath:)) else {
            throw HTTPError.notFound("There is no such hashtag.", code: "tag_not_found")
        }
        let page = try PageRequest(request)
        return try listResponse(ListSlice(authorId: nil, tag: tag, before: page.cursor?.id, limit: page.limit + 1), "posts.by_tag", page, request)
    }

    /// One page of a list: the rows from `query`, rendered (cached per post), as `{"items", "next_cursor"}`.
    private func listResponse(_ slice: ListSlice, _ query: String, _ page: PageRequest, _ request: Request) throws -> Response {
        let rows = try host.dispatchQuery(query, payload: slice, as: DeletedPosts.self).posts
        let kept = Array(rows.prefix(page.limit))
        // The cursor follows the rows, not what is shown: a hidden post must not end the list early.
        let next = rows.count > page.limit ? kept.last.map { PageCursor(id: $0.id.value).text } : nil
        let viewer = request.principal.flatMap { $0.userID > 0 ? UserID($0.userID) : nil }
        let posts = try applyingLiked(renderedBodies(of: kept), viewer: viewer, canBlock: true)
        var body = Array("{\"items\":[".utf8)
        for (index, post) in posts.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body.append(contentsOf: post.body)
        }
        body.append(contentsOf: Array("],\"next_cursor\":".utf8))
        body.append(contentsOf: Array((next.map { "\"\($0)\"" } ?? "null").utf8))
        body.append(UInt8(ascii: "}"))
        return Response(status: 200, headers: [("Content-Type", "application/json")], body: body)
    }
}
