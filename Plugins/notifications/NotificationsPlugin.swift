import ImageAppPlugin

/// notifications: likes, comments, replies, mentions and follows, turned into notifications by worker handlers and
/// pushed live through `realtime`.
///
/// A notification is a row in `notifications` for one user, one `type` and one subject (`group_key`): likes of one
/// post and new followers share the user's one **unread** row of that key (a partial unique index), so they group
/// until read; the people behind it are rows of `notification_actors`, newest first. Every handler records the event
/// id per recipient (`notifications_events`) in the command that makes the change, so a redelivered event changes
/// nothing. Tombstones of deleted posts, comments and users keep late events from bringing notifications back.
///
/// | route | what it does |
/// |---|---|
/// | `GET /api/v1/notifications` | the user's notifications, newest activity first; `?types=like,follow` |
/// | `GET /api/v1/notifications/unread_count` | `{"count"}` |
/// | `POST /api/v1/notifications/read` | `{"ids"}`, `{"up_to"}` or `{"all": true}` → the new `{"count"}` |
/// | `GET`/`PATCH /api/v1/notifications/settings` | which types are on |
///
/// Each new or changed notification is pushed as `notification` and the new count as `unread_count`; marking read
/// pushes the count; a like or unlike pushes `post.counts` to the post's author. A job prunes read notifications
/// older than `keep_days`.
struct NotificationsPlugin: Sendable {
    let host: PluginHost
    let settings: NotificationsSettings
    /// Pushes wait here for a queue of their own, so that handlers do not wait for them.
    let pushes = PushQueue()

    static func initialize(_ registrar: PluginRegistrar) throws {
        let host = registrar.host
        let plugin = NotificationsPlugin(host: host, settings: try NotificationsSettings(host: host))
        try plugin.registerMigrations(registrar)
        try plugin.registerCommands(registrar)
        try plugin.registerQueries(registrar)
        try plugin.registerEventHandlers(registrar)
        try plugin.registerPrune(registrar)
        try plugin.registerRoutes(registrar)
        try plugin.registerSettingsRoutes(registrar)
    }
}
