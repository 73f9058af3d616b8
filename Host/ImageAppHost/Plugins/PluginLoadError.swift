/// Why a plugin could not be loaded, initialised or started. The host refuses to start.
public struct PluginLoadError: Error, CustomStringConvertible, Sendable {
    /// The plugin's name as configured.
    public var plugin: String
    /// A sentence saying what went wrong and, where possible, what to do.
    public var message: String

    public var description: String { "cannot load plugin '\(plugin)': \(message)" }
}
