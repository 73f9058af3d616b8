public import ImageAppPlugin

/// The plugin's one exported symbol: the host `dlopen`s the library, looks this up and calls it.
///
/// `auth` comes first: the limiter runs after its middleware, to count signed-in callers per account.
@_cdecl("imageapp_plugin_entry")
public func imageappPluginEntry(_ host: UnsafePointer<ia_host_info>?) -> UnsafePointer<ia_plugin_descriptor>? {
    PluginDescriptor.make(
        name: "ratelimit",
        version: "1.0.0",
        minimumABIMinor: 11,
        initialize: RateLimitPlugin.initialize
    )
}
