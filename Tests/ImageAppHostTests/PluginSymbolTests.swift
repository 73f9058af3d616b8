import Foundation
import ImageAppTesting
import Testing

/// No plugin carries its own copy of a Swift module the host links: two copies of one module in one process (say
/// NIOCore's) have separate type metadata and globals, so values that cross between them misbehave. Plugins reach the
/// host only through the C ABI and the SDK.
struct PluginSymbolTests {
    /// Host-side modules, as they appear in mangled Swift symbols (`$s7NIOCore...`).
    static let hostModules = [
        "NIOCore", "NIOPosix", "NIOHTTP1", "NIOHTTP2", "NIOConcurrencyHelpers", "NIOExtras", "Hummingbird",
        "HummingbirdCore", "MultipartKit", "ServiceLifecycle", "UnixSignals", "Logging", "Metrics", "CoreMetrics",
        "Prometheus", "ArgumentParser", "HTTPTypes",
    ]

    /// Every plugin library next to `image-app`: what `swift build` made from the package's `.dynamic` products.
    static var pluginLibraries: [String] {
        let directory = HostProcess.binDirectory
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasPrefix("lib") && $0.hasSuffix(".so") }.sorted().map { directory + "/" + $0 }
    }

    @Test func noPluginContainsAHostSideSwiftModule() throws {
        let libraries = Self.pluginLibraries
        #expect(libraries.contains { $0.hasSuffix("/libprofiles.so") }, "\(libraries)")
        #expect(libraries.count >= 5, "\(libraries)")
        var offenders: [String: Set<String>] = [:]
        for library in libraries {
            // Dynamic (exported) symbols, and the full table where the library is not stripped.
            let symbols = try Self.nm(["-D", "--defined-only", library]) + (try Self.nm(["--defined-only", library]))
            for symbol in symbols {
                if let module = Self.hostModule(in: symbol) {
                    offenders[(library as NSString).lastPathComponent, default: []].insert(module)
                }
            }
        }
        #expect(offenders.isEmpty, "plugins with a copy of a host-side module: \(offenders.mapValues { $0.sorted() })")
    }

    @Test func theCheckRecognisesHostModules() {
        #expect(Self.hostModule(in: "$s7NIOCore10ByteBufferV5clearyyF") == "NIOCore")
        #expect(Self.hostModule(in: "$s12MultipartKit0A6ParserC7executeyy7NIOCore10ByteBufferVKF") == "MultipartKit")
        #expect(Self.hostModule(in: "$s11Hummingbird6RouterC") == "Hummingbird")
        #expect(Self.hostModule(in: "$s14ImageAppPlugin7RequestV") == nil)
        // "AuthMetrics" is mangled with a word substitution ("0A7Metrics"): not swift-metrics.
        #expect(Self.hostModule(in: "$s10AuthPlugin0A7MetricsV11loginBanned08ImageAppB06MetricVvg") == nil)
        #expect(Self.hostModule(in: "imageapp_plugin_entry") == nil)
    }

    /// The host-side module a Swift symbol belongs to: the module its mangled name starts with (`$s7NIOCore...`).
    /// That covers a module's own code and metadata and also specialisations of its generics compiled into a plugin,
    /// whose names start with the generic's own.
    static func hostModule(in symbol: String) -> String? {
        guard let start = symbol.range(of: "$s"), symbol[..<start.lowerBound].allSatisfy({ $0 == "_" }) else { return nil }
        let mangled = symbol[start.upperBound...]
        return hostModules.first { mangled.hasPrefix("\($0.utf8.count)\($0)") }
    }

    private static func nm(_ arguments: [String]) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/nm")
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { $0.split(separator: " ").last.map(String.init) }
    }
}
