import Foundation
import ImageAppPlugin
import PluginCrypto
import PluginSupport

/// The plugin's settings from its `plugins.conf` section, read and checked once at start-up.
struct AuthSettings: Sendable {
    /// scrypt parameters for new hashes; older hashes keep theirs and are upgraded at the next login.
    var scrypt: Scrypt.Parameters
    /// How many password hashes may be computed at once (default: the number of cores, at least 2); bounds memory
    /// (each takes `scrypt.memoryBytes`) and keeps a burst of logins from starving everything else of CPU.
    var maxConcurrentHashes: Int
    /// Idle sessions expire after this long; each use slides the expiry.
    var sessionIdleSeconds: Int64
    /// `Secure` on the cookies: set it when the site is served over TLS.
    var cookieSecure: Bool
    /// The site's public address, for links in mail (no trailing slash).
    var publicURL: String
    /// `file` (write `.eml` files to `mailOutbox`) or `sendmail` (hand them to `sendmailPath`).
    var mailer: String
    /// Whether auth serves the pages its mail links open (`/verify-email`, `/reset-password`).
    var linkPages: Bool
    /// Route patterns whose `GET` may carry the bearer token as `?access_token=` (clients that cannot set headers,
    /// such as a browser's `EventSource`); nowhere else, since a URL ends up in histories and proxy logs.
    var queryTokenRoutes: Set<String>
    /// Where the file mailer writes messages.
    var mailOutbox: String
    /// The sendmail-compatible program of the `sendmail` mailer.
    var sendmailPath: String
    /// The `From:` of mail.
    var mailFrom: String
    /// Prefix of this plugin's Redis keys and channels.
    var redisPrefix: String
    /// How long a verified session may be trusted from the process's memory before Redis is asked again.
    var localSessionCacheMilliseconds: Int64
    /// How long a resolved session stays in Redis before PostgreSQL is asked again (and its last use recorded).
    var sessionCacheSeconds: Int64
    /// Lifetimes of single-use tokens.
    var verificationTokenSeconds: Int64
    var resetTokenSeconds: Int64
    /// Handles nobody may register, on top of the built-in list.
    var reservedHandles: Set<String>
    /// Rate limits: login per IP, sign-ups per IP, reset requests per email.
    var loginPerIP: RateLimit
    /// Login attempts of untrusted clients (no device cookie for the account) per login name and client address.
    var loginFailuresPerAccount: RateLimit
    /// Login attempts of untrusted clients per login name from all addresses together — what a distributed guesser
    /// meets — with progressive lockouts once spent. Much higher than the per-address budget, so that one guesser does
    /// not lock out the owner's new devices either; the owner's known devices are not counted here at all.
    var loginUntrusted: ProgressiveLockout
    /// Login attempts per device cookie: a known device is judged by its own budget alone.
    var loginFailuresPerDevice: RateLimit
    /// How long a browser keeps a device cookie.
    var deviceCookieDays: Int
    var signupPerIP: RateLimit
    /// IPv6 clients are limited by their first `ipv6_prefix` bits (default /64) under the per-address limits, and by
    /// their first `ipv6_network_prefix` bits (default /48) under the larger per-network ones, so that a holder of a
    /// /48 does not get 65,536 separate budgets.
    var ipv6Prefix: Int
    var ipv6NetworkPrefix: Int
    var loginPerNetwork: RateLimit
    var signupPerNetwork: RateLimit
    var resetPerEmail: RateLimit
    /// Checks of a signed-in user's current password (password change, account deletion): a stolen session must not
    /// become a fast password oracle.
    var passwordChecksPerAccount: RateLimit

    /// Reads and checks every setting; a bad value stops the plugin from loading with a message naming it.
    init(host: PluginHost) throws {
        // The upper bound keeps every later multiplication (to milliseconds, nanoseconds) far from overflowing.
        func int(_ key: String, _ fallback: Int, min: Int = 0, max: Int = 1 << 31) throws -> Int {
            let value = try host.intSetting(key) ?? fallback
            guard (min...max).contains(value) else {
                throw PluginError(status: .invalidArgument, message: "setting '\(key)' must be from \(min) to \(max)")
            }
            return value
        }
        /// `formerly`: the name the setting had before, still read when the new one is not set.
        func limit(_ name: String, _ count: Int, _ seconds: Int, formerly: String? = nil) throws -> RateLimit {
            let old = try formerly.map { (limit: try host.intSetting("\($0)_limit"), window: try host.intSetting("\($0)_window_seconds")) }
            return RateLimit(
                name: name,
                limit: try int("\(name)_limit", old?.limit ?? count, min: 1),
                windowSeconds: try int("\(name)_window_seconds", old?.window ?? seconds, min: 1)
            )
        }

        scrypt = Scrypt.Parameters(
            n: UInt64(try int("password_scrypt_n", 1 << 16, min: 2, max: 1 << 30)),
            r: UInt64(try int("password_scrypt_r", 8, min: 1, max: 1 << 16)),
            p: UInt64(try int("password_scrypt_p", 2, min: 1, max: 1 << 16))
        )
        guard scrypt.isValid else {
            throw PluginError(
                status: .invalidArgument,
                message: "settings password_scrypt_n/r/p: n must be a power of two and the memory at most 1 GiB"
            )
        }
        maxConcurrentHashes = try int(
            "max_concurrent_hashes",
            Swift.max(ProcessInfo.processInfo.activeProcessorCount, 2),
            min: 1,
            max: 1_024
        )
        sessionIdleSeconds = Int64(try int("session_idle_days", 30, min: 1, max: 3_650)) * 86_400
        var publicURL = try host.setting("public_url") ?? "http://127.0.0.1:8080"
        while publicURL.hasSuffix("/") { publicURL.removeLast() }
        self.publicURL = publicURL
        // A site served over https gets Secure cookies unless told otherwise.
        cookieSecure = try host.boolSetting("cookie_secure") ?? publicURL.lowercased().hasPrefix("https://")
        mailOutbox = try host.setting("mail_outbox") ?? ".local/mail"
        linkPages = try host.boolSetting("link_pages") ?? false
        let queryTokenRoutes = try Self.stringList("query_token_routes", host: host)
        self.queryTokenRoutes = Set(queryTokenRoutes.isEmpty ? ["/api/v1/stream"] : queryTokenRoutes)
        mailer = try host.setting("mailer") ?? "file"
        guard ["file", "sendmail"].contains(mailer) else {
            throw PluginError(status: .invalidArgument, message: "setting 'mailer' must be \"file\" or \"sendmail\", got \"\(mailer)\"")
        }
        sendmailPath = try host.setting("sendmail_path") ?? "/usr/sbin/sendmail"
        mailFrom = try host.setting("mail_from") ?? "Image App <no-reply@localhost>"
        redisPrefix = try host.setting("redis_prefix") ?? "auth"
        localSessionCacheMilliseconds = Int64(try int("local_session_cache_ms", 60_000))
        sessionCacheSeconds = Int64(try int("session_cache_seconds", 600, min: 1))
        verificationTokenSeconds = Int64(try int("verification_token_ttl_seconds", 48 * 3_600, min: 1))
        resetTokenSeconds = Int64(try int("reset_token_ttl_seconds", 3_600, min: 1))
        reservedHandles = AccountRules.builtInReservedHandles.union(try Self.stringList("reserved_handles", host: host))
        loginPerIP = try limit("login_per_ip", 25, 300)
        loginFailuresPerAccount = try limit("login_failures_per_account", 10, 900)
        loginUntrusted = ProgressiveLockout(
            budget: try limit("login_untrusted", 100, 900, formerly: "login_attempts_per_account_total"),
            firstLockoutSeconds: try int("login_untrusted_lockout_seconds", 900, min: 1),
            maxLockoutSeconds: try int("login_untrusted_lockout_max_seconds", 86_400, min: 1)
        )
        loginFailuresPerDevice = try limit("login_failures_per_device", 10, 900)
        deviceCookieDays = try int("device_cookie_days", 365, min: 1, max: 3_650)
        signupPerIP = try limit("signup_per_ip", 5, 1_800)
        ipv6Prefix = try int("ipv6_prefix", 64, min: 16, max: 128)
        ipv6NetworkPrefix = try int("ipv6_network_prefix", 48, min: 16, max: 128)
        loginPerNetwork = try limit("login_per_network", 250, 300)
        signupPerNetwork = try limit("signup_per_network", 20, 1_800)
        resetPerEmail = try limit("reset_per_email", 5, 1_800)
        passwordChecksPerAccount = try limit("password_checks_per_account", 10, 900)
    }

    /// A list setting: a TOML array of strings in the file, or comma-separated text (an environment override).
    private static func stringList(_ key: String, host: PluginHost) throws -> [String] {
        let text: String?
        do {
            text = try host.setting(key)
        } catch {
            guard error.status == .type else { throw error }
            text = nil
        }
        if let text {
            return text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                .filter { !$0.isEmpty }
        }
        let section = try JSONSerialization.jsonObject(with: Data(try host.settingsJSON().utf8)) as? [String: Any]
        guard let value = section?[key] else { return [] }
        guard let list = value as? [String] else {
            throw PluginError(status: .invalidArgument, message: "setting '\(key)' must be a list of strings")
        }
        return list.map { $0.lowercased() }
    }
}
