import ImageAppPlugin

/// The example Swift plugin: a greeting, an echo, a slow (pending) route, a `whoami`, a middleware and a command.
///
/// Settings are read once in `initialize` and captured by the handlers: `plugins.conf` does not change while the
/// process runs, and the struct is `Sendable`, so handlers on any thread can share it.
struct ExampleSwiftPlugin: Sendable {
    /// The `greeting` setting.
    let greeting: String
    /// The `max_delay_ms` setting: the longest `/slow` may be asked to wait.
    let maxDelayMS: Int
    /// The `trust_principal_header` setting (default false): see the tag middleware.
    let trustPrincipalHeader: Bool

    /// Reads the settings and registers everything with the host.
    static func initialize(_ registrar: PluginRegistrar) throws {
        let host = registrar.host
        let maxDelayMS = try host.intSetting("max_delay_ms") ?? 5000
        guard maxDelayMS >= 0 else {
            throw PluginError(status: .invalidArgument, message: "setting 'max_delay_ms' must not be negative")
        }
        let plugin = ExampleSwiftPlugin(
            greeting: try host.setting("greeting") ?? "Hello",
            maxDelayMS: maxDelayMS,
            trustPrincipalHeader: try host.boolSetting("trust_principal_header") ?? false
        )

        try plugin.registerGreet(registrar)
        try plugin.registerEcho(registrar)
        try plugin.registerSlow(registrar)
        try plugin.registerWhoAmI(registrar)
        try plugin.registerTagMiddleware(registrar)
        try plugin.registerHelloCommand(registrar)
    }
}
