import ImageAppPlugin

/// trending: the posts and hashtags that draw attention now, recomputed by a worker job.
///
/// Worker event handlers keep what scoring needs in the plugin's own tables (recent posts, engagements, hashtag uses,
/// banned and deleted accounts), each idempotent. The job `compute` (one runner across workers, every `interval_ms`)
/// scores them in SQL and writes the results to Redis sorted sets; the routes only read Redis. The formulas are in
/// README.md ("Trending").
///
/// | route | what it does |
/// |---|---|
/// | `GET /api/v1/feed/trending` | the trending posts, best first, in the shared post shape, cursor-paginated |
/// | `GET /api/v1/tags/trending` | the trending hashtags: `{"items": [{"tag", "accounts", "score"}]}` |
///
/// Follows `post.*`, `like.*`, `comment.*`, `user.banned`, `user.unbanned` and `user.deleted`.
struct TrendingPlugin: Sendable {
    let host: PluginHost
    let settings: TrendingSettings
    let store: TrendingStore

    static func initialize(_ registrar: PluginRegistrar) throws {
        let host = registrar.host
        let settings = try TrendingSettings(host: host)
        let plugin = TrendingPlugin(host: host, settings: settings, store: TrendingStore(host: host, settings: settings))
        try plugin.registerMigrations(registrar)
        try plugin.registerCommands(registrar)
        try plugin.registerQueries(registrar)
        try plugin.registerEventHandlers(registrar)
        try plugin.registerCompute(registrar)
        try plugin.registerRoutes(registrar)
    }
}
