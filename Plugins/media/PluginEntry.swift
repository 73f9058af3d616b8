public import ImageAppPlugin

/// The plugin's one exported symbol. It must be `public`: an internal `@_cdecl` function is not exported from release
/// builds. `auth` comes first: every route needs its middleware (the principal), and `user.deleted` comes from it.
@_cdecl("imageapp_plugin_entry")
public func imageappPluginEntry(_ host: UnsafePointer<ia_host_info>?) -> UnsafePointer<ia_plugin_descriptor>? {
    PluginDescriptor.make(name: "media", version: "1.0.0", dependencies: ["auth"], initialize: MediaPlugin.initialize)
}
