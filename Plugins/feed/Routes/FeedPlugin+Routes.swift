import AuthContract
import Dispatch
import ImageAppPlugin
import MediaContract
import PluginSupport
import PostsContract

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension FeedPlugin {
    /// `GET /api/v1/feed/home` and `GET /api/v1/feed/new`.
    func registerRoutes(_ registrar: PluginRegistrar) throws {
        try registrar.route(
            .get,
            "/api/v1/feed/home",
            flags: registrar.host.supportsWouldBlock ? [.requireUser, .nonblocking] : .requireUser,
            summary: "Shows the home feed",
            description: "Posts of the accounts the signed-in user follows, and their own, newest first; `liked` is "
                + "theirs. `?limit=` (default 20, at most 40) and `?cursor=` from `next_cursor`. A feed not read for "
                + "`active_days` is rebuilt within this request, so the first page is already complete.",
            tag: "feed",
            responseSchema: FeedSchemas.page,
            handler: home
        )
        try registrar.route(
            .get,
            "/api/v1/feed/new",
            summary: "Shows everyone's newest posts",
            description: "All posts, newest first, paginated like the home feed; `liked` is the signed-in viewer's.",
            tag: "feed",
            responseSchema: FeedSchemas.page,
            handler: newest
        )
    }

    /// A page, from the cheapest place that has it whole: this process's memory (on the event loop; a first page only
    /// while no post announced into the feed since is newer, see ``FeedArrivals``); else, on a worker, the page's
    /// entry in Redis with the posts' cached bodies (a first page only if the feed's newest post is
    /// still the one it started with); else the feed itself and `posts.render_views`, whose result is cached.
    private func home(_ request: Request) throws -> Response {
        guard let principal = request.principal, principal.userID > 0 else { throw HTTPError.unauthorized() }
        let viewer = UserID(principal.userID)
        let page = try PageRequest(request)
        if let cursor = page.cursor, cursor.time == nil { throw Self.badCursor }
        let key = pageKey(viewer, page)
        let caching = settings.pageCacheMilliseconds > 0
        let peeked = caching ? host.cachePeek(key).flatMap(CachedPage.init(bytes:)) : nil
        if let peeked, page.cursor != nil || arrivals.isCurrent(head: peeked.head, for: viewer),
            let response = composed(peeked, canBlock: false)
        {
            return response
        }
        guard request.canBlock else { throw WouldBlock() }
        let seen = arrivals.newest(for: viewer)
        if caching, let response = fromRedis(key, viewer, page, peeked: peeked) {
            if page.cursor == nil { arrivals.confirm(viewer, upTo: seen) }
            return response
        }
        // Few full reads at once: a burst of them (bodies expired everywhere at once) would otherwise render the same
        // posts many times over, through queries that hold pooled connections; the rest wait and find the result.
        renders.wait()
        defer { renders.signal() }
        if caching, let response = fromRedis(key, viewer, page, peeked: nil) {
            if page.cursor == nil { arrivals.confirm(viewer, upTo: seen) }
            return response
        }
        let (items, next, head) = try readHome(viewer, page)
        if page.cursor == nil { arrivals.confirm(viewer, upTo: seen) }
        if caching {
            let cached = CachedPage(ids: items.map(\.id), liked: items.filter(\.liked).map(\.id), next: next, head: head)
            pages.store(key, cached.bytes, tags: [Self.pageTag(viewer)] + items.map { PostsCollaboration.cacheTag($0.id) })
        }
        return try Response.json(Page(items: items, nextCursor: next))
    }

    /// The page from its entry in Redis (or the one `peeked` in memory) and the posts' cached bodies; a first page
    /// only while the feed's newest post is the one the entry began with. `nil` when any of it is missing.
    private func fromRedis(_ key: String, _ viewer: UserID, _ page: PageRequest, peeked: CachedPage?) -> Response? {
        guard let cached = peeked ?? (try? host.cacheGet(key))?.flatMap(CachedPage.init(bytes:)),
            page.cursor != nil || (try? store.head(viewer)) == cached.head
        else { return nil }
        return composed(cached, canBlock: true)
    }

    /// The page of a cached entry: each post's cached body (from this process's memory; also from Redis when
    /// `canBlock`), `liked` set from the entry; `nil` when a body is missing.
    private func composed(_ cached: CachedPage, canBlock: Bool) -> Response? {
        let liked = Set(cached.liked)
        var body = Array("{\"items\":[".utf8)
        body.reserveCapacity(cached.ids.count * 1_200)
        for (index, id) in cached.ids.enumerated() {
            let key = PostsCollaboration.viewCacheKey(id)
            guard let post = host.cachePeek(key) ?? (canBlock ? (try? host.cacheGet(key)) ?? nil : nil) else { return nil }
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body.append(contentsOf: liked.contains(id) ? Self.markedLiked(post) : post)
        }
        body.append(contentsOf: Array("],\"next_cursor\":".utf8))
        body.append(contentsOf: Array((cached.next.map { "\"\($0)\"" } ?? "null").utf8))
        body.append(UInt8(ascii: "}"))
        return Response(status: 200, headers: [("Content-Type", "application/json")], body: body)
    }

    /// One page of `viewer`'s feed, rebuilding it first when it does not exist. Ids that `posts.views` leaves out
    /// (deleted, banned authors) leave the feed; the cursor follows the ids read, so they do not end it early.
    /// `head` is the newest post id the feed had (its own or a pulled one), what a cached first page is checked by.
    private func readHome(_ viewer: UserID, _ page: PageRequest) throws -> (items: [PostView], next: String?, head: String) {
        let maxScore = page.cursor?.time
        let read = { () throws -> FeedStore.Candidates? in
            try store.candidates(viewer, maxScore: maxScore, tieWindow: page.cursor != nil, count: page.limit + 1)
        }
        var found = try read()
        if found == nil {
            try rebuild(viewer)
            found = try read()
        }
        if let missing = found?.missingAuthors, !missing.isEmpty {
            for author in missing { try ensureAuthorList(author) }
            found = try read()
        }
        var seen = Set<PostID>()
        let entries = (found?.entries ?? [])
            .filter { entry in
                guard let cursor = page.cursor, let time = cursor.time else { return true }
                return entry.score < time || (entry.score == time && entry.id.value < cursor.id)
            }
            .sorted { ($0.score, $0.id) > ($1.score, $1.id) }
            .filter { seen.insert($0.id).inserted }
            .prefix(page.limit + 1)
        let kept = Array(entries.prefix(page.limit))
        let next = entries.count > page.limit ? kept.last.map { PageCursor(time: $0.score, id: $0.id.value).text } : nil
        let head = page.cursor == nil ? kept.first.map(\.id.description) ?? "" : ""
        let items = try views(kept.map(\.id), viewer: viewer)
        let shown = Set(items.map(\.id))
        let gone = kept.map(\.id).filter { !shown.contains($0) }
        if !gone.isEmpty { try? store.remove(gone, from: store.homeKey(viewer)) }
        return (items, next, head)
    }

    private func newest(_ request: Request) throws -> Response {
        let page = try PageRequest(request)
        if let cursor = page.cursor, cursor.time != nil { throw Self.badCursor }
        let viewer = request.principal.flatMap { $0.userID > 0 ? UserID($0.userID) : nil }
        let ids = try recentPosts(nil, before: page.cursor.map { PostID($0.id) }, limit: page.limit + 1)
        let kept = Array(ids.prefix(page.limit))
        let next = ids.count > page.limit ? kept.last.map { PageCursor(id: $0.value).text } : nil
        return try Response.json(Page(items: try views(kept, viewer: viewer), nextCursor: next))
    }

    /// The posts in the shared shape, in this order, with the viewer's `liked`: posts' service command, which holds
    /// no database connection while its own queries wait for one.
    private func views(_ ids: [PostID], viewer: UserID?) throws(HTTPError) -> [PostView] {
        guard !ids.isEmpty else { return [] }
        return try host.dispatchCommand(PostsCommand.views, payload: PostViewsInput(postIds: ids, viewerId: viewer), as: PostList.self).items
    }

    private func pageKey(_ viewer: UserID, _ page: PageRequest) -> String {
        "\(settings.redisPrefix):page:\(viewer):\(page.limit):\(page.cursor?.text ?? "")"
    }

    /// A post body with `"liked":false` made true. The key is unique in a post's JSON (no nested shape has it, and
    /// quotes inside strings are escaped), so replacing its one occurrence is exact. Bytes, not Foundation: this runs
    /// on the event loop.
    static func markedLiked(_ body: [UInt8]) -> [UInt8] {
        let needle = Array("\"liked\":false".utf8)
        guard body.count >= needle.count else { return body }
        for start in 0...(body.count - needle.count) where body[start] == needle[0] && body[start..<(start + needle.count)].elementsEqual(needle) {
            return Array(body[..<start]) + Array("\"liked\":true".utf8) + Array(body[(start + needle.count)...])
        }
        return body
    }

    private static var badCursor: HTTPError { .unprocessable(fields: ["cursor": "is not a cursor from this list"]) }
}

/// A cached page of a home feed: its post ids, those the viewer likes, the next cursor and, for a first page, the
/// feed's newest post id when it was read, as `ids;liked;next;head` (decimal ids, comma-separated): read on the event
/// loop, so no JSON.
struct CachedPage: Sendable {
    var ids: [PostID]
    var liked: [PostID]
    var next: String?
    var head: String

    init(ids: [PostID], liked: [PostID], next: String?, head: String) {
        self.ids = ids
        self.liked = liked
        self.next = next
        self.head = head
    }

    /// Parses ``bytes`` by scanning them: this runs for every warm page, and going through `String` and `split` cost
    /// more than the rest of composing the page.
    init?(bytes: [UInt8]) {
        let semicolon = UInt8(ascii: ";")
        var fields: [ArraySlice<UInt8>] = []
        fields.reserveCapacity(4)
        var start = bytes.startIndex
        for index in bytes.indices where bytes[index] == semicolon {
            fields.append(bytes[start..<index])
            start = index + 1
        }
        fields.append(bytes[start...])
        guard fields.count == 4, let ids = Self.ids(fields[0]), let liked = Self.ids(fields[1]) else { return nil }
        self.init(
            ids: ids,
            liked: liked,
            next: fields[2].isEmpty ? nil : String(decoding: fields[2], as: UTF8.self),
            head: String(decoding: fields[3], as: UTF8.self)
        )
    }

    /// Comma-separated positive decimal ids; `nil` for anything else.
    private static func ids(_ text: ArraySlice<UInt8>) -> [PostID]? {
        DecimalList.parse(text).map { $0.map(PostID.init) }
    }

    var bytes: [UInt8] {
        let fields = [DecimalList.text(ids.map(\.value)), DecimalList.text(liked.map(\.value)), next ?? "", head]
        return Array(fields.joined(separator: ";").utf8)
    }
}
