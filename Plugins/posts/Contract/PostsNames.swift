public import MediaContract

/// The events `posts` raises, through the outbox (delivered if and only if the change committed).
public enum PostsEvent {
    /// ``PostEvent``: a post was published.
    public static let created = "post.created"
    /// ``PostEvent``: a post's caption or alt text changed (its tags and mentions are the new ones).
    public static let updated = "post.updated"
    /// ``PostEvent``: a post was deleted (by its author, an admin, or with its author's account). Its media is
    /// deleted by `posts` itself when it handles this event.
    public static let deleted = "post.deleted"
}

/// The queries `posts` answers for other plugins.
public enum PostsQuery {
    /// ``PostViewsInput`` → ``PostList``: the posts with those ids, in the shared shape and the order asked, `liked`
    /// as the viewer sees it; posts that do not exist or whose author is banned are left out. At most ``PostsLimits/idsPerQuery``. For feeds and
    /// notifications: cached like `GET /api/v1/posts/{id}`.
    public static let views = "posts.views"
    /// `{"user_id"}` → `{"posts": n}`: the count `profiles` shows (listed in its `count_queries`).
    public static let profileCounts = "posts.profile_counts"
    /// ``PostIDs`` → ``PostAuthors``: who wrote each post (for permission checks, such as a post's author deleting a
    /// comment on it); unknown posts are left out.
    public static let authors = "posts.authors"
    /// ``RecentPostsInput`` → ``PostIDs``: the ids of the newest posts of some authors (or of everyone), newest
    /// first, older than `before`; hidden (banned) authors left out. For home feeds rebuilt from PostgreSQL, a new
    /// follow's merge and the everyone feed. At most ``PostsLimits/recentPostsPerQuery`` ids and
    /// ``PostsLimits/authorsPerQuery`` authors.
    public static let recentByAuthors = "posts.recent_by_authors"
    /// ``PostIDs`` → ``PostAuthors``: as ``authors``, but leaving out posts hidden with their banned author too — the
    /// posts a reader may act on (like, comment). One indexed read, no rendering: for writes that only need to know
    /// the post is there and whose it is.
    public static let visibleAuthors = "posts.visible_authors"
}

/// The service commands `posts` runs for other plugins (no transaction of their own: see docs/PLUGINS.md, "Service
/// commands").
public enum PostsCommand {
    /// ``PostViewsInput`` → ``PostList``: exactly what ``PostsQuery/views`` answers, but run without holding a
    /// database connection, so that the queries it makes on a cache miss (rows, author summaries, media, counts, the
    /// viewer's likes) each take one in turn. Use it from routes that render pages of posts under load (feeds): a
    /// query that dispatches queries holds its connection while waiting for the next, and enough of them at once
    /// exhaust the pool.
    public static let views = "posts.render_views"
}

/// What `posts` asks of other plugins, if they are there.
public enum PostsCollaboration {
    /// Plugins that count things on posts (comments, likes) answer a query of this name in their own namespace
    /// (`comments.post_counts`), listed in the `count_queries` setting: ``PostIDs`` → `{"<post id>":
    /// {"comment_count": n}}`. When a count changes they announce it for the cache tag ``cacheTag(_:)`` of the post
    /// with PluginSupport's `GuardedCache.changed(tag:host:)` (a marker, then the invalidation: a render racing the
    /// change cannot store the old count).
    public static func postCounts(of plugin: String) -> String { "\(plugin).post_counts" }

    /// The cache tag of everything cached about post `id`: invalidate it when what the post shows changes.
    public static func cacheTag(_ id: PostID) -> String { "post:\(id)" }

    /// The host cache key (`cachePeek`, `cacheGet`) of post `id`'s rendered body: its JSON in the shared shape with
    /// `liked` false, tagged ``cacheTag(_:)`` and `user:<author>`. A feed serving a warm page on the event loop reads
    /// bodies with `cachePeek` and sets `liked` itself; on a miss it asks ``PostsQuery/views``, which fills it.
    public static func viewCacheKey(_ id: PostID) -> String { "posts:view:\(id)" }
}

/// Limits other plugins share.
public enum PostsLimits {
    /// The longest caption, in Unicode scalars.
    public static let captionCharacters = 2_200
    /// The most distinct hashtags in a caption.
    public static let hashtagsPerPost = 30
    /// The most distinct mentions in a caption.
    public static let mentionsPerPost = 20
    /// The most ids in one ``PostsQuery/views`` or ``PostsQuery/authors``.
    public static let idsPerQuery = 100
    /// The most ids one ``PostsQuery/recentByAuthors`` answers.
    public static let recentPostsPerQuery = 1_000
    /// The most authors one ``PostsQuery/recentByAuthors`` takes.
    public static let authorsPerQuery = 10_000
}
