public import ImageAppPlugin

/// The plugin's one exported symbol: the host `dlopen`s the library, looks this up and calls it.
@_cdecl("imageapp_plugin_entry")
public func imageappPluginEntry(_ host: UnsafePointer<ia_host_info>?) -> UnsafePointer<ia_plugin_descriptor>? {
    PluginDescriptor.make(name: "web", version: "1.0.0", initialize: WebPlugin.initialize)
}
