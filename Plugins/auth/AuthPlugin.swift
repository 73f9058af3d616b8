import ImageAppPlugin
import PluginSupport

/// Accounts and sessions: registration, login, revocable sessions (cookie or bearer token), passwords, email
/// verification, roles and bans, and the authentication middleware that sets the principal for every plugin.
///
/// Settings are read once in `initialize` and captured by the handlers: `plugins.conf` does not change while the
/// process runs. Handlers of routes run on host worker threads and may block (database, Redis, the KDF).
struct AuthPlugin: Sendable {
    let host: PluginHost
    let settings: AuthSettings
    let passwords: PasswordHasher
    let sessions: SessionCache
    let devices: DeviceCookies
    let limiter: RateLimiter
    let mailer: any Mailer
    let metrics: AuthMetrics

    /// The plugin's name in its descriptor, and the owner of its routes.
    static let pluginName = "auth"

    /// Reads the settings and registers everything with the host.
    static func initialize(_ registrar: PluginRegistrar) throws {
        let host = registrar.host
        let settings = try AuthSettings(host: host)
        let metrics = try AuthMetrics(host: host)
        let plugin = AuthPlugin(
            host: host,
            settings: settings,
            passwords: try PasswordHasher(
                parameters: settings.scrypt,
                maxConcurrent: settings.maxConcurrentHashes,
                timing: metrics.passwordHashSeconds
            ),
            sessions: SessionCache(host: host, settings: settings),
            devices: DeviceCookies(host: host, settings: settings),
            limiter: RateLimiter(host: host, prefix: settings.redisPrefix),
            mailer: settings.mailer == "sendmail"
                ? SendmailMailer(path: settings.sendmailPath, from: settings.mailFrom)
                : FileOutboxMailer(directory: settings.mailOutbox, from: settings.mailFrom),
            metrics: metrics
        )
        try plugin.registerSchema(registrar)
        try plugin.registerSessionData(registrar)
        try plugin.registerAccountData(registrar)
        try plugin.registerPasswordData(registrar)
        try plugin.registerAdminData(registrar)
        try plugin.registerKeyData(registrar)
        try plugin.registerMiddleware(registrar)
        try plugin.registerRegistration(registrar)
        try plugin.registerLogin(registrar)
        try plugin.registerSessionRoutes(registrar)
        try plugin.registerPasswordRoutes(registrar)
        try plugin.registerVerificationRoutes(registrar)
        try plugin.registerLinkPages(registrar)
        try plugin.registerAdminRoutes(registrar)
        try plugin.registerMaintenance(registrar)
        try plugin.registerCreateAdmin(registrar)
    }
}
