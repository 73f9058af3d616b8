public import ImageAppPlugin

/// The plugin's one exported symbol. It must be `public`: an internal `@_cdecl` function is not exported from release
/// builds. `posts` renders the posts and says which exist; `follows` says who follows whom (asked only if loaded).
@_cdecl("imageapp_plugin_entry")
public func imageappPluginEntry(_ host: UnsafePointer<ia_host_info>?) -> UnsafePointer<ia_plugin_descriptor>? {
    PluginDescriptor.make(name: "feed", version: "1.0.0", dependencies: ["auth", "profiles", "posts"], initialize: FeedPlugin.initialize)
}
