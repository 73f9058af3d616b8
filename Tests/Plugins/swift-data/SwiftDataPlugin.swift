import ImageAppPlugin

/// test-swift-data: the Swift SDK's data path end to end (migrations, a command that refuses by throwing, a
/// SERIALIZABLE command that the host retries, a query, and routes that dispatch them), mirroring the C fixture
/// test-data.
///
/// Setting `register_migration = false` leaves the migrations out, so that the plugin also loads on a host without
/// `host.database_url` (a plugin with migrations refuses to start there), where dispatching answers 503.
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
        }
        try plugin.registerData(registrar)
        try plugin.registerRoutes(registrar)
    }
}
