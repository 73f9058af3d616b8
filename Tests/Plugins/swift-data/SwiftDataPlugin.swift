import ImageAppPlugin

/// test-swift-data: the Swift SDK's data path end to end (migrations, a command that refuses by throwing, a
/// SERIALIZABLE command that the host retries, a query, and routes that dispatch them), and its events and jobs (the
/// add command raises `swift.item_added`, a worker handler records it idempotently, a job records its runs),
/// mirroring the C fixture test-data.
///
/// Setting `register_migration = false` leaves the migrations out, so that the plugin also loads on a host without
/// `host.database_url` (a plugin with migrations refuses to start there), where dispatching answers 503. Setting
/// `job_interval_ms` registers the "sweep" job with that interval.
struct SwiftDataPlugin: Sendable {
    /// The plugin's host, for dispatching from routes.
    let host: PluginHost

    /// Registers the migration, the command, the query and the routes.
    static func initialize(_ registrar: PluginRegistrar) throws {
        let plugin = SwiftDataPlugin(host: registrar.host)
        if try registrar.host.boolSetting("register_migration") ?? true {
            try registrar.migration(
                version: 1,
                name: "create_items",
                sql: "CREATE TABLE test_swift_data_items (id bigserial PRIMARY KEY, name text NOT NULL UNIQUE)"
            )
            try registrar.migration(
                version: 2,
                name: "create_counter",
                sql: """
                    CREATE TABLE test_swift_data_counter (value int8 NOT NULL);
                    INSERT INTO test_swift_data_counter VALUES (0)
                    """
            )
            try registrar.migration(
                version: 3,
                name: "create_seen",
                sql: "CREATE TABLE test_swift_data_seen (event_id text PRIMARY KEY, name text, attempt int)"
            )
            try registrar.migration(
                version: 4,
                name: "create_sweeps",
                sql: """
                    CREATE TABLE test_swift_data_sweeps (
                        at timestamptz NOT NULL DEFAULT clock_timestamp(),
                        job text NOT NULL,
                        interval_ms int8 NOT NULL,
                        started_at_ms int8 NOT NULL
                    )
                    """
            )
        }
        try plugin.registerData(registrar)
        try plugin.registerRoutes(registrar)
        try plugin.registerEventsAndJobs(registrar)
        try plugin.registerServiceRoutes(registrar)
    }
}
