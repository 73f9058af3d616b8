public import ImageAppPlugin

/// The plugin's one exported symbol. `auth` comes first: the stream route needs its middleware (the principal and the
/// session's token hash) and its events (ended sessions, bans).
@_cdecl("imageapp_plugin_entry")
public func imageappPluginEntry(_ host: UnsafePointer<ia_host_info>?) -> UnsafePointer<ia_plugin_descriptor>? {
    PluginDescriptor.make(
        name: "realtime",
        version: "1.0.0",
        dependencies: ["auth"],
        minimumABIMinor: 12,
        initialize: RealtimePlugin.initialize
    )
}
