import CImageAppPlugin
import Foundation
import Logging

/// Opens plugin libraries, runs the handshake, orders plugins by dependency and calls `init`.
///
/// Every failure is a ``PluginLoadError`` and nothing is half-loaded from the server's point of
/// view: the caller exits before opening its port.
enum PluginLoader {
    /// Flags for `dlopen`: resolve everything now, keep symbols private, never unmap (Swift
    /// images cannot be unloaded safely, and the ABI promises plugins are never `dlclose`d).
    static let openFlags = RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE

    /// Loads and initialises the enabled plugins of `configuration`, in dependency order.
    static func load(
        configuration: HostConfiguration,
        registry: PluginRegistry,
        logger: Logger
    ) throws(PluginLoadError) -> [PluginContext] {
        let directory = configuration.host.pluginDirectory ?? executableDirectory()
        var contexts: [PluginContext] = []
        for section in configuration.enabledPlugins {
            contexts.append(try handshake(section: section, directory: directory, registry: registry))
        }
        let ordered = try dependencyOrder(contexts, configuration: configuration)
        for context in ordered {
            try initialize(context)
            logger.info(
                "plugin loaded",
                metadata: ["plugin": "\(context.name)", "version": "\(context.version)", "library": "\(context.libraryPath)"]
            )
        }
        return ordered
    }

    /// The folder of the running executable (plugins are built next to it).
    static func executableDirectory() -> String {
        let executable =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: executable).deletingLastPathComponent().path
    }

    // MARK: Handshake

    private static func handshake(
        section: PluginSection,
        directory: String,
        registry: PluginRegistry
    ) throws(PluginLoadError) -> PluginContext {
        let name = section.name
        func fail(_ message: String) -> PluginLoadError { PluginLoadError(plugin: name, message: message) }

        let path = section.library.hasPrefix("/") ? section.library : directory + "/" + section.library
        guard FileManager.default.fileExists(atPath: path) else {
            throw fail("library not found at \(path) (set plugins.\(name).library, or host.plugin_dir, or build it with `swift build`)")
        }
        guard let library = dlopen(path, openFlags) else {
            throw fail("dlopen(\(path)) failed: \(String(cString: dlerror()))")
        }
        guard let symbol = dlsym(library, IA_ENTRY_SYMBOL) else {
            // The library stays mapped (RTLD_NODELETE semantics): plugins are never unloaded.
            throw fail("\(path) does not export the entry symbol '\(IA_ENTRY_SYMBOL)'; is it an Image App plugin?")
        }
        let entry = unsafeBitCast(symbol, to: ia_plugin_entry_fn.self)

        let descriptorPointer: UnsafePointer<ia_plugin_descriptor>? = HostInfo.withHostInfo { entry($0) }
        guard let descriptorPointer else {
            throw fail("the plugin declined to run on this host (host \(HostVersion.current), plugin ABI \(IA_ABI_MAJOR).\(IA_ABI_MINOR))")
        }
        // Check the version fields before trusting anything else in the descriptor.
        let declaredSize = Int(UnsafeRawPointer(descriptorPointer).load(as: UInt32.self))
        guard declaredSize >= 8 else { throw fail("its descriptor has an invalid struct_size \(declaredSize)") }
        let major = UnsafeRawPointer(descriptorPointer).load(fromByteOffset: 4, as: UInt16.self)
        let minor = UnsafeRawPointer(descriptorPointer).load(fromByteOffset: 6, as: UInt16.self)
        guard major == IA_ABI_MAJOR else {
            throw fail(
                "it was built against plugin ABI \(major).\(minor), but this host implements ABI \(IA_ABI_MAJOR).\(IA_ABI_MINOR); major versions must match — rebuild the plugin against this host's imageapp_plugin.h"
            )
        }
        guard minor <= IA_ABI_MINOR else {
            throw fail(
                "it needs plugin ABI \(major).\(minor), but this host implements only ABI \(IA_ABI_MAJOR).\(IA_ABI_MINOR); upgrade the host or rebuild the plugin against ABI \(IA_ABI_MAJOR).\(IA_ABI_MINOR)"
            )
        }
        guard let descriptor = SizedStruct.read(descriptorPointer, minimumSize: MinimumSize.descriptor) else {
            throw fail(
                "its descriptor's struct_size \(declaredSize) is smaller than ABI 1.0's \(MinimumSize.descriptor) bytes; set it to sizeof(ia_plugin_descriptor)"
            )
        }
        let unknownFlags = descriptor.flags & ~KnownFlags.descriptor
        guard unknownFlags == 0 else {
            throw fail(
                "its ia_plugin_descriptor has unknown flag bits 0x\(String(unknownFlags, radix: 16)) (this host knows 0x\(String(KnownFlags.descriptor, radix: 16))); they are reserved: clear them, or run a host that defines them"
            )
        }
        let signature = HostInfo.buildSignature
        guard descriptor.build_signature == signature else {
            throw fail(
                "it was built for another platform (build signature 0x\(String(descriptor.build_signature, radix: 16)), host 0x\(String(signature, radix: 16)))"
            )
        }
        let reportedName = CString.string(descriptor.name)
        guard reportedName == name else {
            throw fail("the library at \(path) is plugin '\(reportedName)', not '\(name)'; fix the section name or plugins.\(name).library")
        }
        guard descriptor.`init` != nil else { throw fail("its descriptor has no init function") }
        let toolchain = CString.string(descriptor.toolchain)
        if !toolchain.isEmpty, !Toolchain.isCompatible(toolchain) {
            throw fail(
                "it was built with \(toolchain) but the host with \(Toolchain.current); Swift has no stable ABI on Linux, so rebuild the plugin with the host's toolchain"
            )
        }
        var dependencies: [String] = []
        if descriptor.dependency_count > 0 {
            guard descriptor.dependency_count <= 64, let list = descriptor.dependencies else {
                throw fail("its descriptor lists \(descriptor.dependency_count) dependencies without an array")
            }
            dependencies = (0..<descriptor.dependency_count).map { CString.string(list[$0]) }
        }
        return PluginContext(
            name: name,
            version: CString.string(descriptor.version),
            dependencies: dependencies,
            libraryPath: path,
            settings: section.settings,
            descriptor: descriptorPointer,
            registry: registry,
            abiMinor: minor
        )
    }

    // MARK: Dependencies

    /// Orders plugins so each comes after its dependencies; ties keep configuration order.
    private static func dependencyOrder(
        _ contexts: [PluginContext],
        configuration: HostConfiguration
    ) throws(PluginLoadError) -> [PluginContext] {
        let byName = Dictionary(uniqueKeysWithValues: contexts.map { ($0.name, $0) })
        for context in contexts {
            for dependency in context.dependencies where byName[dependency] == nil {
                let configured = configuration.plugins.contains { $0.name == dependency }
                throw PluginLoadError(
                    plugin: context.name,
                    message: configured
                        ? "it depends on plugin '\(dependency)', which is disabled in \(configuration.path); enable it"
                        : "it depends on plugin '\(dependency)', which is not in \(configuration.path); add a [plugins.\(dependency)] section"
                )
            }
        }
        var ordered: [PluginContext] = []
        var state: [String: Bool] = [:]  // false: visiting, true: done
        func visit(_ context: PluginContext, chain: [String]) throws(PluginLoadError) {
            if state[context.name] == true { return }
            if state[context.name] == false {
                throw PluginLoadError(
                    plugin: context.name,
                    message: "dependency cycle: \((chain + [context.name]).joined(separator: " -> "))"
                )
            }
            state[context.name] = false
            for dependency in context.dependencies { try visit(byName[dependency]!, chain: chain + [context.name]) }
            state[context.name] = true
            ordered.append(context)
        }
        for context in contexts { try visit(context, chain: []) }
        return ordered
    }

    // MARK: init

    private static func initialize(_ context: PluginContext) throws(PluginLoadError) {
        // A sized copy: the plugin's descriptor may be shorter than this host's (an older header).
        guard let descriptor = SizedStruct.read(context.descriptor, minimumSize: MinimumSize.descriptor) else {
            throw PluginLoadError(plugin: context.name, message: "its descriptor changed after the handshake")
        }
        var error = ia_error()
        error.struct_size = SizedStruct.size(of: ia_error.self)
        context.phase = .initializing
        let status = descriptor.`init`(HostAPI.table, context.handle, descriptor.user_data, &error)
        context.phase = .initialized
        if status != IA_OK {
            let message = ErrorBuffer.message(of: &error)
            throw PluginLoadError(
                plugin: context.name,
                message: "init failed (status \(status)): \(message.isEmpty ? context.registrationError ?? "no message" : message)"
            )
        }
        if let refused = context.registrationError {
            throw PluginLoadError(plugin: context.name, message: refused)
        }
    }
}

/// The host half of the handshake.
enum HostInfo {
    /// Same value as the header's IA_BUILD_SIGNATURE macro (which Swift cannot import).
    static var buildSignature: UInt32 {
        let endian: UInt32 = 1.littleEndian == 1 ? 0x01 : 0x02
        return 0x4941_0000 | UInt32(MemoryLayout<UnsafeRawPointer>.size) << 8 | endian
    }

    static func withHostInfo<R>(_ body: (UnsafePointer<ia_host_info>) -> R) -> R {
        CString.withView(HostVersion.current) { version in
            CString.withView(Toolchain.current) { toolchain in
                var info = ia_host_info()
                info.struct_size = SizedStruct.size(of: ia_host_info.self)
                info.abi_major = UInt16(IA_ABI_MAJOR)
                info.abi_minor = UInt16(IA_ABI_MINOR)
                info.host_version = version
                info.toolchain = toolchain
                return withUnsafePointer(to: &info) { body($0) }
            }
        }
    }
}

/// Reading and writing ``ia_error`` buffers.
enum ErrorBuffer {
    /// Fills a caller-owned buffer: code, message (cut on a UTF-8 boundary) and, when the
    /// caller's struct is big enough (ABI 1.1), the SQLSTATE.
    static func write(_ pointer: UnsafeMutablePointer<ia_error>?, status: Int32, message: String, sqlState: String? = nil) {
        guard let pointer else { return }
        let size = Int(UnsafeRawPointer(pointer).load(as: UInt32.self))
        guard size >= MemoryLayout<UInt32>.size * 2 + 256 else { return }
        let raw = UnsafeMutableRawPointer(pointer)
        raw.storeBytes(of: status, toByteOffset: 4, as: Int32.self)
        var bytes = Array(message.utf8.prefix(255))
        while let last = bytes.last, last & 0xC0 == 0x80 || (last & 0x80 != 0 && bytes.count == 255) { bytes.removeLast() }
        raw.advanced(by: 8).copyMemory(from: bytes + [0], byteCount: bytes.count + 1)
        let sqlStateOffset = MemoryLayout<ia_error>.offset(of: \ia_error.sqlstate)!
        if size >= sqlStateOffset + 8 {
            let state = Array((sqlState ?? "").utf8.prefix(7))
            raw.advanced(by: sqlStateOffset).copyMemory(from: state + [0], byteCount: state.count + 1)
        }
    }

    static func message(of error: inout ia_error) -> String {
        withUnsafeBytes(of: &error.message) { bytes in
            let length = bytes.firstIndex(of: 0) ?? bytes.count
            return String(decoding: bytes.prefix(length), as: UTF8.self)
        }
    }
}
