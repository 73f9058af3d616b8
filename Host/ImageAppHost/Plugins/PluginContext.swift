import CImageAppPlugin
import Logging
import Synchronization

/// The host's side of one loaded plugin: what crosses the ABI as the opaque `ia_host *`.
///
/// `@unchecked Sendable`: `phase` and the registration error are touched only on the
/// lifecycle thread (the ABI restricts registration to `init`); the settings cache is behind a
/// `Mutex`; everything else is immutable after the handshake.
public final class PluginContext: @unchecked Sendable {
    /// Where a plugin is in its lifecycle.
    enum Phase { case loaded, initializing, initialized, started, stopped }

    /// The plugin's name (equal to its `[plugins.NAME]` section).
    public let name: String
    /// The version the plugin reports.
    public let version: String
    /// Names of plugins it depends on.
    public let dependencies: [String]
    /// The library it was loaded from.
    public let libraryPath: String
    /// Settings from its section, environment overrides applied.
    let settings: [String: ConfigValue]
    let logger: Logger
    let descriptor: UnsafePointer<ia_plugin_descriptor>
    let registry: PluginRegistry
    /// The ABI minor the plugin's descriptor declares: the host keeps older behaviour for older
    /// plugins where a minor changed one (IA_ERR_REDIS_REPLY since 1.8).
    let abiMinor: UInt16

    var phase: Phase = .loaded
    /// The first registration the host refused, reported as the load error.
    var registrationError: String?

    /// C strings handed out by the settings API; they live as long as the process.
    private let settingStrings = Mutex<[String: UnsafeMutablePointer<CChar>]>([:])

    /// The pointer the plugin sees as `ia_host *` (retained forever: plugins are never unloaded).
    private(set) lazy var handle: OpaquePointer = OpaquePointer(Unmanaged.passRetained(self).toOpaque())

    init(
        name: String,
        version: String,
        dependencies: [String],
        libraryPath: String,
        settings: [String: ConfigValue],
        descriptor: UnsafePointer<ia_plugin_descriptor>,
        registry: PluginRegistry,
        abiMinor: UInt16 = UInt16(IA_ABI_MINOR)
    ) {
        self.name = name
        self.version = version
        self.dependencies = dependencies
        self.libraryPath = libraryPath
        self.settings = settings
        self.descriptor = descriptor
        self.registry = registry
        self.abiMinor = abiMinor
        var logger = Logger(label: "plugin.\(name)")
        logger[metadataKey: "plugin"] = .string(name)
        self.logger = logger
    }

    /// The context behind an `ia_host *` the host handed out.
    static func from(_ handle: OpaquePointer?) -> PluginContext? {
        guard let handle else { return nil }
        return Unmanaged<PluginContext>.fromOpaque(UnsafeRawPointer(handle)).takeUnretainedValue()
    }

    /// Records a refused registration (the first one wins) and logs it.
    func refuse(_ message: String) {
        if registrationError == nil { registrationError = message }
        logger.error("\(message)")
    }

    /// A process-lifetime NUL-terminated copy of `value`, cached under `key`.
    func permanentCString(key: String, value: String) -> ia_str {
        settingStrings.withLock { cache in
            if let existing = cache[key], String(cString: existing) == value {
                return ia_str(data: existing, len: strlen(existing))
            }
            let copy = CString.allocate(value)
            cache[key] = copy  // an older copy stays allocated: a plugin may still hold its view
            return ia_str(data: copy, len: value.utf8.count)
        }
    }

    /// A setting by dotted key.
    func setting(_ key: String) -> ConfigValue? {
        ConfigValue.table(settings).value(atPath: key)
    }
}
