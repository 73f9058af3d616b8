public import ImageAppPlugin

/// The plugin's one exported symbol. It must be `public`: an internal `@_cdecl` function is not exported from release
/// builds. `auth` says whether an account is banned; `posts` renders the trending posts.
@_cdecl("imageapp_plugin_entry")
public func imageappPluginEntry(_ host: UnsafePointer<ia_host_info>?) -> UnsafePointer<ia_plugin_descriptor>? {
    PluginDescriptor.make(name: "trending", version: "1.0.0", dependencies: ["auth", "posts"], initialize: TrendingPlugin.initialize)
}
