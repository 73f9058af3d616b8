public import CImageAppPlugin

/// Builds the `ia_plugin_descriptor` a plugin's entry point returns.
///
/// ```swift
/// public import ImageAppPlugin
///
/// @_cdecl("imageapp_plugin_entry")
/// public func imageappPluginEntry(_ host: UnsafePointer<ia_host_info>?) -> UnsafePointer<ia_plugin_descriptor>? {
///     PluginDescriptor.make(name: "hello", version: "1.0.0") { registrar in
///         try registrar.route(.get, "/api/v1/hello") { _ in .text("hello") }
///     }
/// }
/// ```
///
/// The entry point must be `public`: an internal `@_cdecl` function is not exported from release builds.
public enum PluginDescriptor {
    /// Builds a descriptor in memory that is never freed (plugins are never unloaded) and returns it.
    ///
    /// Call it once, from the entry point. The lifecycle closures run on the host's lifecycle thread; an error thrown
    /// from `initialize` or `start` is handed to the host as the reason for refusing the plugin.
    ///
    /// - Parameters:
    ///   - name: 1–64 characters of `[a-z0-9-]`; it must match the plugin's `plugins.conf` section.
    ///   - version: The plugin's own version, such as `1.2.0`.
    ///   - dependencies: Names of plugins that must be loaded and started first.
    ///   - minimumABIMinor: The lowest host ABI minor (1.N) the plugin needs; a host older than that refuses it at
    ///     load time. The default, ``PluginABI/baselineMinor``, lets any 1.x host load it: the SDK checks every newer
    ///     slot before calling it and throws ``PluginStatus/unsupported`` on a host that lacks it. Values above
    ///     ``PluginABI/minor`` are lowered to it. The host also keeps behaviour that a later minor changed as the
    ///     declared minor had it (the SDK copes with both).
    ///   - initialize: Registers routes, middleware, commands and metrics and reads settings. It must not start
    ///     threads or open connections: `image-app plugins` and `check-config` run it without `start`.
    ///   - start: Acquires resources once every plugin is initialised.
    ///   - stop: Releases them after the server drained in-flight requests; only called if `start` succeeded.
    /// - Returns: The descriptor, valid for the life of the process.
    public static func make(
        name: String,
        version: String,
        dependencies: [String] = [],
        minimumABIMinor: UInt16 = PluginABI.baselineMinor,
        initialize: @escaping @Sendable (PluginRegistrar) throws -> Void,
        start: (@Sendable (PluginHost) throws -> Void)? = nil,
        stop: (@Sendable (PluginHost) -> Void)? = nil
    ) -> UnsafePointer<ia_plugin_descriptor> {
        let dependencyViews = UnsafeMutablePointer<ia_str>.allocate(capacity: max(dependencies.count, 1))
        for (index, dependency) in dependencies.enumerated() {
            (dependencyViews + index).initialize(to: .permanent(dependency))
        }

        var descriptor = ia_plugin_descriptor()
        descriptor.struct_size = PluginABI.structSize(of: ia_plugin_descriptor.self)
        descriptor.abi_major = PluginABI.major
        descriptor.abi_minor = min(minimumABIMinor, PluginABI.minor)
        descriptor.build_signature = PluginABI.buildSignature
        descriptor.name = .permanent(name)
        descriptor.version = .permanent(version)
        descriptor.dependencies = UnsafePointer(dependencyViews)
        descriptor.dependency_count = dependencies.count
        descriptor.toolchain = .permanent(PluginABI.toolchain)
        descriptor.user_data = CallbackBox(Lifecycle(initialize: initialize, start: start, stop: stop), api: nil)
            .retainedForever()
        descriptor.`init` = { api, hostHandle, userData, errorBuffer in
            guard let api, let hostHandle, let userData else {
                let message = "init was called without its host arguments"
                return ia_error.report(IA_ERR_INVALID_ARGUMENT, message, into: errorBuffer)
            }
            let lifecycle = CallbackBox<Lifecycle>.from(userData).callback
            do {
                try lifecycle.initialize(PluginRegistrar(host: PluginHost(api: api, handle: hostHandle)))
                return IA_OK
            } catch {
                return ia_error.report(error, into: errorBuffer)
            }
        }
        if start != nil {
            descriptor.start = { api, hostHandle, userData, errorBuffer in
                guard let api, let hostHandle, let userData else {
                    let message = "start was called without its host arguments"
                    return ia_error.report(IA_ERR_INVALID_ARGUMENT, message, into: errorBuffer)
                }
                guard let start = CallbackBox<Lifecycle>.from(userData).callback.start else { return IA_OK }
                do {
                    try start(PluginHost(api: api, handle: hostHandle))
                    return IA_OK
                } catch {
                    return ia_error.report(error, into: errorBuffer)
                }
            }
        }
        if stop != nil {
            descriptor.stop = { api, hostHandle, userData in
                guard let api, let hostHandle, let userData else { return }
                CallbackBox<Lifecycle>.from(userData).callback.stop?(PluginHost(api: api, handle: hostHandle))
            }
        }

        let storage = UnsafeMutablePointer<ia_plugin_descriptor>.allocate(capacity: 1)
        storage.initialize(to: descriptor)
        return UnsafePointer(storage)
    }

    /// The closures `make` was given.
    private struct Lifecycle {
        let initialize: @Sendable (PluginRegistrar) throws -> Void
        let start: (@Sendable (PluginHost) throws -> Void)?
        let stop: (@Sendable (PluginHost) -> Void)?
    }
}
