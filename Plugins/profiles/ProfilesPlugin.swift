import ImageAppPlugin
import ImageProcessing

/// profiles: what users show about themselves — display name, bio and avatar — on top of the accounts that `auth`
/// keeps.
///
/// The plugin owns the table `profiles` (one row per user, created when `user.registered` arrives or on the first
/// edit, whichever comes first) and `profiles_deleted_users` (tombstones, so that a late or repeated event cannot
/// bring a deleted user's profile back). It reads accounts only through `auth`'s queries and never its tables.
///
/// | route | what it does |
/// |---|---|
/// | `GET /api/v1/me` | the caller's account and profile |
/// | `PATCH /api/v1/me` | edits `display_name` and `bio` |
/// | `PUT /api/v1/me/avatar` | uploads an avatar, made into two squares with libvips |
/// | `DELETE /api/v1/me` | deletes the account, with the password |
/// | `GET /api/v1/users/{handle}` | a public profile |
///
/// Commands `profiles.create`, `.update`, `.set_avatar` and `.delete`, query `profiles.get`, and worker handlers for
/// `user.registered` and `user.deleted`. Changes raise `user.profile_updated`.
///
/// Settings are read once in ``initialize(_:)`` and captured by the handlers: `plugins.conf` does not change while the
/// process runs, and the struct is `Sendable`, so handlers on any thread share it.
struct ProfilesPlugin: Sendable {
    /// The plugin's host, for dispatching, blobs and logs.
    let host: PluginHost
    /// The validated settings.
    let settings: ProfilesSettings
    /// Checks avatar uploads (by content, then by header) and processes them on the plugin's own threads with media's
    /// pipeline; shared by all requests.
    let avatars: ImageIntake

    /// Reads and checks the settings, loads the magic database, starts libvips and the avatars' threads, and registers
    /// everything with the host.
    static func initialize(_ registrar: PluginRegistrar) throws {
        let host = registrar.host
        let settings = try ProfilesSettings(host: host)
        let avatars: ImageIntake
        do {
            // libvips' process-wide bounds are media's settings when media is loaded, whichever of the two loads first.
            let pipeline = try ImagePipeline.joining()
            avatars = try ImageIntake(host: host, settings: settings.avatarIntake, pipeline: pipeline, field: "avatar", threadName: "avatars")
        } catch {
            // Refuse to load rather than refuse every upload later: `check-config` reports it.
            throw PluginError(status: .unavailable, message: "cannot process avatars: \(error)")
        }
        let plugin = ProfilesPlugin(host: host, settings: settings, avatars: avatars)

        try plugin.registerMigrations(registrar)
        try plugin.registerCommands(registrar)
        try plugin.registerEventHandlers(registrar)
        try plugin.registerMeRoutes(registrar)
        try plugin.registerAvatarRoute(registrar)
        try plugin.registerLegacyAvatarJob(registrar)

        try plugin.registerUserRoute(registrar)
    }
}
