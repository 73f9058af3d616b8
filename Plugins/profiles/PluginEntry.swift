public import ImageAppPlugin

/// The plugin's one exported symbol: the host `dlopen`s the library, looks this up and calls it.
///
/// It must be `public`: an internal `@_cdecl` function is not exported from release builds. `auth` comes first
/// because every route here needs its middleware (the principal) and its queries (the account).
@_cdecl("imageapp_plugin_entry")
public func imageappPluginEntry(_ host: UnsafePointer<ia_host_info>?) -> UnsafePointer<ia_plugin_descriptor>? {
    PluginDescriptor.make(
        name: "profiles",
        version: "1.0.0",
        dependencies: ["auth"],
        initialize: ProfilesPlugin.initialize
    )
}
