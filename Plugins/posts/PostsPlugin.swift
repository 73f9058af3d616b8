import ImageAppPlugin
import PluginSupport

/// posts: image posts with captions, hashtags and mentions, on top of `media` (the images), `profiles` (the author
/// summaries) and `auth` (accounts and handles).
///
/// | route | what it does |
/// |---|---|
/// | `POST /api/v1/posts` | publishes a post of the caller's uploaded media |
/// | `GET /api/v1/posts/{id}` | a post (cached; a warm one is served on the event loop) |
/// | `PATCH /api/v1/posts/{id}` | edits the caption and alt texts (author only) |
/// | `DELETE /api/v1/posts/{id}` | deletes it (author or admin); `DELETE /api/v1/admin/posts/{id}` for moderators |
/// | `GET /api/v1/users/{handle}/posts` | a user's posts, newest first |
/// | `GET /api/v1/tags/{tag}/posts` | posts with a hashtag, newest first |
///
/// The plugin owns the tables `posts`, `post_tags`, `posts_hidden_authors` (banned authors) and
/// `posts_deleted_users`. It raises `post.created`, `post.updated` and `post.deleted`, answers `posts.views`,
/// `posts.authors` and `posts.profile_counts`, and asks `count_queries` (comments, likes) for the counts a post shows.
struct PostsPlugin: Sendable {
    let host: PluginHost
    let settings: PostsSettings
    /// Rendered posts, by id.
    let cache: GuardedCache
    /// Whether ``PostsSettings/likedQuery`` turned out not to be registered: then no viewer likes anything, and a
    /// warm post is served on the event loop to signed-in viewers too. Plugins do not change while the process runs,
    /// so once learned it holds.
    let likedQueryMissing: AtomicFlag

    static func initialize(_ registrar: PluginRegistrar) throws {
        let host = registrar.host
        let settings = try PostsSettings(host: host)
        let plugin = PostsPlugin(
            host: host,
            settings: settings,
            cache: GuardedCache(host: host, ttl: .seconds(settings.cacheTTLSeconds)),
            likedQueryMissing: AtomicFlag(settings.likedQuery == nil)
        )
        try plugin.registerMigrations(registrar)
        try plugin.registerCommands(registrar)
        try plugin.registerQueries(registrar)
        try plugin.registerEventHandlers(registrar)
        try plugin.registerCreateRoute(registrar)
        try plugin.registerPostRoutes(registrar)
        try plugin.registerListRoutes(registrar)
    }
}
