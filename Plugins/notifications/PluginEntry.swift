public import ImageAppPlugin

/// The plugin's one exported symbol. It must be `public`: an internal `@_cdecl` function is not exported from release
/// builds. `profiles` gives the actors' summaries (and hides banned ones); `posts` the previews.
@_cdecl("imageapp_plugin_entry")
public func imageappPluginEntry(_ host: UnsafePointer<ia_host_info>?) -> UnsafePointer<ia_plugin_descriptor>? {
    PluginDescriptor.make(
        name: "notifications",
        version: "1.0.0",
        dependencies: ["auth", "profiles", "posts"],
        initialize: NotificationsPlugin.initialize
    )
}
