import ImageAppPlugin

/// follows: who follows whom, with exact counts.
///
/// A follow is a row in `follows`; `follow_counts` holds each user's `followers` and `following`, changed in the
/// same transaction as the row, so counts are exact at once. Following is capped (`max_following`, 7,500).
///
/// | route | what it does |
/// |---|---|
/// | `PUT /api/v1/users/{handle}/follow` | follows the user (idempotent) → `{"following": true, "followers_count"}` |
/// | `DELETE /api/v1/users/{handle}/follow` | stops following (idempotent) → `{"following": false, "followers_count"}` |
/// | `GET /api/v1/users/{handle}/followers` | who follows the user, newest first, as user summaries |
/// | `GET /api/v1/users/{handle}/following` | whom the user follows, newest first |
///
/// Answers `follows.profile_counts` and `follows.relationship` for `profiles`, `follows.follower_ids` and
/// `follows.followees` for feeds; raises `follow.created` and `follow.deleted`; follows `user.deleted`.
struct FollowsPlugin: Sendable {
    let host: PluginHost
    let settings: FollowsSettings

    static func initialize(_ registrar: PluginRegistrar) throws {
        let host = registrar.host
        let plugin = FollowsPlugin(host: host, settings: try FollowsSettings(host: host))
        try plugin.registerMigrations(registrar)
        try plugin.registerCommands(registrar)
        try plugin.registerQueries(registrar)
        try plugin.registerEventHandlers(registrar)
        try plugin.registerRoutes(registrar)
    }
}
