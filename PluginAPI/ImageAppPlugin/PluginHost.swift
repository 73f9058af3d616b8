public import CImageAppPlugin

/// The host as one plugin sees it: the host's function table plus this plugin's `ia_host` handle.
///
/// A `PluginHost` is passed to `initialize` (through ``PluginRegistrar/host``), `start`, `stop` and commands. Keep it
/// for the life of the process: both pointers stay valid until the process exits.
///
/// The use of `@unchecked Sendable` is safe for this type because both pointers are immutable and valid for the
/// process lifetime (the header: the table is "never modified", `ia_host` is "valid for the process lifetime"), and
/// the calls this type makes from arbitrary threads — logging, settings and metric updates — are documented by the
/// header as `[any thread]`. Metric *registration* is `[lifecycle thread]`, and dispatching commands and queries is
/// for worker threads that may block (never an event loop); both are documented as such.
public struct PluginHost: @unchecked Sendable {
    /// The host's function table, for calling slots this SDK does not wrap (check them with ``has(_:)`` first).
    public let api: UnsafePointer<ia_host_api>
    /// This plugin's `ia_host` handle.
    public let handle: OpaquePointer

    /// Wraps the pointers the host passes to a plugin callback.
    public init(api: UnsafePointer<ia_host_api>, handle: OpaquePointer) {
        self.api = api
        self.handle = handle
    }

    /// The ABI version of the running host, which may be newer than ``PluginABI/minor``.
    public var abiVersion: (major: UInt16, minor: UInt16) {
        (api.pointee.abi_major, api.pointee.abi_minor)
    }

    /// Whether the host implements ABI 1.`minor` or newer: for capabilities a minor added as flag bits, which no slot
    /// tells apart.
    func implements(minor: UInt16) -> Bool {
        api.pointee.abi_major == UInt16(IA_ABI_MAJOR) && api.pointee.abi_minor >= minor
    }

    /// Whether the host's table has the slot `slot` and it is set: the Swift form of `IA_HAS(api, slot)`.
    ///
    /// Use it before calling any slot newer than the ABI minor the plugin requires:
    /// ```swift
    /// if host.has(\.metric_observe) { ... }
    /// ```
    public func has<Slot>(_ slot: KeyPath<ia_host_api, Slot?>) -> Bool {
        api.has(slot)
    }

    /// Logs `message` at `level`, tagged with the plugin's name. Thread-safe.
    ///
    /// The message is only built when the host would log it.
    public func log(_ level: LogLevel, _ message: @autoclosure () -> String) {
        guard isLogEnabled(level) else { return }
        message().withIAStr { api.pointee.log?(handle, level.rawValue, $0) }
    }

    /// Whether the host would log a message at `level`.
    public func isLogEnabled(_ level: LogLevel) -> Bool {
        // An old or partial table without the slot logs everything rather than nothing.
        guard let logEnabled = api.pointee.log_enabled else { return true }
        return logEnabled(handle, level.rawValue) != 0
    }
}

extension UnsafePointer where Pointee == ia_host_api {
    /// `IA_HAS`: the slot lies inside the size the host compiled its table with, and is non-NULL.
    func has<Slot>(_ slot: KeyPath<ia_host_api, Slot?>) -> Bool {
        guard let offset = MemoryLayout<ia_host_api>.offset(of: slot) else { return false }
        // Raw loads, not `pointee`: a table from an older host may end before our struct does.
        let table = UnsafeRawPointer(self)
        let hostSize = table.load(as: UInt32.self)  // struct_size is the first field.
        guard offset + MemoryLayout<Slot?>.size <= Int(hostSize) else { return false }
        return table.load(fromByteOffset: offset, as: Slot?.self) != nil
    }
}
