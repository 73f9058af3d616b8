import ImageAppPlugin

/// comments: comments on posts, with one level of replies and mentions, on top of `posts` (which posts exist and whose
/// they are), `profiles` (the author summaries) and `auth` (accounts and handles).
///
/// | route | what it does |
/// |---|---|
/// | `GET /api/v1/posts/{id}/comments` | a post's comments in thread order, oldest first |
/// | `POST /api/v1/posts/{id}/comments` | comments on a post, or replies to a comment on it |
/// | `DELETE /api/v1/comments/{id}` | deletes a comment (its author, the post's author or an admin) |
///
/// The plugin owns the tables `comments`, `comments_hidden_authors` (banned authors), `comments_deleted_users` and
/// `comments_deleted_posts` (tombstones, so that a comment written while its post or author goes is refused). It
/// raises `comment.created` and `comment.deleted`, answers `comments.post_counts` (the `comment_count` that `posts`
/// shows) and invalidates a post's cache tag whenever that count changes.
struct CommentsPlugin: Sendable {
    /// The plugin's host, for dispatching, the cache and logs.
    let host: PluginHost
    /// What a comment may be, from the settings.
    let rules: CommentRules
    /// The request schema of new comments, which states the rules.
    let schemas: CommentsSchemas

    /// Reads and checks the settings and registers everything with the host.
    static func initialize(_ registrar: PluginRegistrar) throws {
        let rules = CommentRules(settings: try CommentsSettings(host: registrar.host))
        let plugin = CommentsPlugin(host: registrar.host, rules: rules, schemas: CommentsSchemas(rules: rules))
        try plugin.registerMigrations(registrar)
        try plugin.registerCommands(registrar)
        try plugin.registerQueries(registrar)
        try plugin.registerEventHandlers(registrar)
        try plugin.registerPostCommentRoutes(registrar)
        try plugin.registerDeleteRoute(registrar)
    }
}
