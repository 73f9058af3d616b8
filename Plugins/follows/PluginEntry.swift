public import ImageAppPlugin

/// The plugin's one exported symbol. It must be `public`: an internal `@_cdecl` function is not exported from release
/// builds. `auth` resolves handles; `profiles` gives the summaries of followers and shows the counts.
@_cdecl("imageapp_plugin_entry")
public func imageappPluginEntry(_ host: UnsafePointer<ia_host_info>?) -> UnsafePointer<ia_plugin_descriptor>? {
    PluginDescriptor.make(name: "follows", version: "1.0.0", dependencies: ["auth", "profiles"], initialize: FollowsPlugin.initialize)
}
