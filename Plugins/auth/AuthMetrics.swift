import ImageAppPlugin

/// The plugin's Prometheus metrics (served at `GET /metrics` with the host's).
struct AuthMetrics: Sendable {
    let loginSucceeded: Metric
    let loginInvalid: Metric
    let loginBanned: Metric
    let loginLimited: Metric
    let loginLockouts: Metric
    let registrations: Metric
    let sessionsFromMemory: Metric
    let sessionsFromRedis: Metric
    let sessionsFromDatabase: Metric
    let unknownTokens: Metric
    let passwordHashSeconds: Metric

    init(host: PluginHost) throws {
        func counter(_ name: String, _ help: String, _ labels: KeyValuePairs<String, String> = [:]) throws -> Metric {
            try host.registerMetric(.counter, name: name, help: help, labels: labels)
        }
        let logins = "Login attempts by result."
        loginSucceeded = try counter("imageapp_auth_logins_total", logins, ["result": "success"])
        loginInvalid = try counter("imageapp_auth_logins_total", logins, ["result": "invalid_credentials"])
        loginBanned = try counter("imageapp_auth_logins_total", logins, ["result": "banned"])
        loginLimited = try counter("imageapp_auth_logins_total", logins, ["result": "rate_limited"])
        loginLockouts = try counter(
            "imageapp_auth_login_lockouts_total",
            "Lockouts of untrusted clients' logins to one login name, begun because its budget was spent."
        )
        registrations = try counter("imageapp_auth_registrations_total", "Accounts registered.")
        let lookups = "Requests authenticated by where their session was found."
        sessionsFromMemory = try counter("imageapp_auth_session_lookups_total", lookups, ["source": "memory"])
        sessionsFromRedis = try counter("imageapp_auth_session_lookups_total", lookups, ["source": "redis"])
        sessionsFromDatabase = try counter("imageapp_auth_session_lookups_total", lookups, ["source": "database"])
        unknownTokens = try counter(
            "imageapp_auth_unknown_tokens_total",
            "Credentials presented that open no session (expired, revoked or forged)."
        )
        passwordHashSeconds = try host.registerMetric(
            .histogram,
            name: "imageapp_auth_password_hash_seconds",
            help: "Time to hash or verify one password, waiting for a slot included.",
            buckets: [0.01, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1, 2, 5]
        )
    }
}
