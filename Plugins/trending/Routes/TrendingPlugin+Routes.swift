import AuthContract
import ImageAppPlugin
import MediaContract
import PluginSupport
import PostsContract
import ProfilesContract

extension TrendingPlugin {
    /// `GET /api/v1/feed/trending` and `GET /api/v1/tags/trending`: reads of the rankings the job wrote.
    func registerRoutes(_ registrar: PluginRegistrar) throws {
        try registrar.route(
            .get,
            "/api/v1/feed/trending",
            summary: "Lists the trending posts",
            description: "The posts of the last 48 hours with the most recent likes and comments, best first, recomputed "
                + "every few minutes. `?limit=` (20, at most 40) and `?cursor=` from `next_cursor`: a cursor pages on in "
                + "the ranking it started in for a while after a recomputation. Anonymous readers are welcome; `liked` is "
                + "the signed-in viewer's.",
            tag: "trending",
            responseSchema: TrendingSchemas.posts,
            handler: trendingPosts
        )
        try registrar.route(
            .get,
            "/api/v1/tags/trending",
            summary: "Lists the trending hashtags",
            description: "The hashtags that more accounts use today than they usually do, best first: `{\"items\": "
                + "[{\"tag\", \"accounts\", \"score\"}]}`, `accounts` being the distinct accounts that used it in the last "
                + "24 hours. `?limit=` (20, at most 40).",
            tag: "trending",
            responseSchema: TrendingSchemas.tags,
            handler: trendingTags
        )
    }

    private var cache: GuardedCache? {
        settings.cacheTTLMilliseconds > 0 ? GuardedCache(host: host, ttl: .milliseconds(settings.cacheTTLMilliseconds)) : nil
    }

    private func trendingPosts(_ request: Request) throws -> Response {
        let page = try PageRequest(request)
        let viewer = request.principal.flatMap { $0.userID > 0 ? UserID($0.userID) : nil }
        // Anonymous pages are the same for everyone: cached whole. A signed-in viewer's `liked` differs, but each post
        // comes from posts' own cache.
        let cacheKey = viewer == nil ? "\(settings.redisPrefix):feed:\(page.cursor?.text ?? "first"):\(page.limit)" : nil
        if let cacheKey, let cache, let body = try? cache.body(cacheKey, canBlock: true) { return Self.json(body) }

        let answer = try pageOfPosts(page, viewer: viewer)
        let response = try Response.json(answer)
        if let cacheKey, let cache {
            // A post's or its author's change (a count, a deletion, a ban, a new avatar) drops the page at once.
            var tags = answer.items.flatMap { [PostsCollaboration.cacheTag($0.id), "user:\($0.author.id)"] }
            if page.cursor == nil { tags.append(Self.rankingCacheTag) }
            cache.store(cacheKey, response.body, tags: tags)
        }
        return response
    }

    /// A page of the ranking the cursor names (the current one for the first page, or when that one expired). Posts
    /// that `posts` no longer shows (deleted, a banned author) are skipped and the page filled from further down.
    private func pageOfPosts(_ page: PageRequest, viewer: UserID?) throws -> Page<PostView> {
        var generation = page.cursor?.time
        if let named = generation, try !store.exists(named) { generation = nil }
        if generation == nil { generation = try store.currentGeneration() }
        guard let generation else { return Page(items: [], nextCursor: nil) }
        // Rankings hold at most 10,000 posts: a larger offset is past the end.
        var offset = min(Int(page.cursor?.id ?? 0), 10_001)
        var items: [PostView] = []
        var total = 0
        for _ in 0..<3 where items.count < page.limit {
            let slice = try store.posts(generation, offset: offset, count: page.limit - items.count)
            total = slice.total
            if slice.ids.isEmpty { break }
            offset += slice.ids.count
            let input = PostViewsInput(postIds: slice.ids.map(PostID.init), viewerId: viewer)
            items += try host.dispatchQuery(PostsQuery.views, payload: input, as: PostList.self).items
        }
        let next = offset > 0 && offset < total ? PageCursor(time: generation, id: Int64(offset)).text : nil
        return Page(items: items, nextCursor: next)
    }

    private func trendingTags(_ request: Request) throws -> Response {
        let limit = try PageRequest(limit: request.query("limit"), cursor: nil).limit
        let cacheKey = "\(settings.redisPrefix):tags:\(limit)"
        if let cache, let body = try? cache.body(cacheKey, canBlock: true) { return Self.json(body) }
        let response = try Response.json(ScoredTags(items: try store.tags(limit: limit)))
        cache?.store(cacheKey, response.body, tags: [Self.rankingCacheTag])
        return response
    }

    private static func json(_ body: [UInt8]) -> Response {
        Response(status: 200, headers: [("Content-Type", "application/json")], body: body)
    }
}
