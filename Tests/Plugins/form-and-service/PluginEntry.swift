public import ImageAppPlugin

/// The fixture's one exported symbol.
@_cdecl("imageapp_plugin_entry")
public func imageappPluginEntry(_ host: UnsafePointer<ia_host_info>?) -> UnsafePointer<ia_plugin_descriptor>? {
    PluginDescriptor.make(name: "test-form-and-service", version: "1.0.0", initialize: FormAndServicePlugin.initialize)
}
