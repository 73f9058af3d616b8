import CImageAppPlugin
import Foundation
import ImageAppTesting
import Testing

/// Which plugins load, and the clear refusal of every kind of bad plugin.
@Suite(.timeLimit(.minutes(12)))
struct PluginLoadingTests {
    @Test func disabledPluginIsNotLoadedListedOrRouted() async throws {
        let config = """
            [host]
            log_level = "warning"
            [plugins.example-c]
            enabled = true
            [plugins.example-swift]
            enabled = false
            """
        let listing = try HostProcess.run(["plugins"], config: config)
        #expect(listing.status == 0)
        #expect(listing.stdout.contains("example-c 1.0.0"))
        #expect(listing.stdout.contains("route: GET /api/v1/examples/c/hello"))
        #expect(!listing.stdout.contains("example-swift"))

        let host = try await HostProcess.start(config: config)
        defer { Task { await host.stop() } }
        let disabled = try await host.get("/api/v1/examples/swift/greet/x")
        #expect(disabled.status == 404)
        #expect(disabled.errorCode == "not_found")
        #expect(try await host.get("/api/v1/examples/c/hello").status == 200)

        let openAPI = try await host.get("/api/v1/openapi.json")
        let paths = openAPI.json["paths"] as? [String: Any] ?? [:]
        #expect(paths["/api/v1/examples/c/hello"] != nil)
        #expect(!paths.keys.contains { $0.hasPrefix("/api/v1/examples/swift") })
    }

    @Test func environmentCanDisableAPluginAndOverrideSettings() async throws {
        let host = try await HostProcess.start(
            config: Configs.examples,
            environment: ["IMAGEAPP_PLUGIN_EXAMPLE_SWIFT__ENABLED": "false", "IMAGEAPP_PLUGIN_EXAMPLE_C__GREETING": "Salut"]
        )
        defer { Task { await host.stop() } }
        #expect(try await host.get("/api/v1/examples/swift/greet/x").status == 404)
        #expect(try await host.get("/api/v1/examples/c/hello").json["message"] as? String == "Salut, world!")
    }

    /// Each refusal: non-zero exit before the port opens, and a message naming the problem.
    @Test(arguments: [
        RefusalCase(
            name: "missing library",
            config: Configs.with([("example-c", "library = \"libdoes-not-exist.so\"")]),
            expected: ["cannot load plugin 'example-c'", "library not found", "libdoes-not-exist.so"]
        ),
        RefusalCase(
            name: "missing entry symbol",
            config: Configs.with([("test-no-entry", "")]),
            expected: ["cannot load plugin 'test-no-entry'", "does not export the entry symbol 'imageapp_plugin_entry'"]
        ),
        RefusalCase(
            name: "other ABI major",
            config: Configs.with([("test-abi-major", "")]),
            expected: [
                "cannot load plugin 'test-abi-major'", "plugin ABI \(ABI.major + 1).\(ABI.minor)",
                "this host implements ABI \(ABI.version)", "major versions must match",
            ]
        ),
        RefusalCase(
            name: "newer ABI minor",
            config: Configs.with([("test-abi-minor", "")]),
            expected: [
                "cannot load plugin 'test-abi-minor'", "needs plugin ABI \(ABI.major).\(ABI.minor + 1)",
                "implements only ABI \(ABI.version)",
            ]
        ),
        RefusalCase(
            name: "failing init",
            config: Configs.with([("test-init-fails", "")]),
            expected: ["cannot load plugin 'test-init-fails'", "init failed", "cannot reach the example service at 192.0.2.1:9 (test fixture)"]
        ),
        RefusalCase(
            name: "unknown dependency",
            config: Configs.with([("test-unknown-dep", "")]),
            expected: ["cannot load plugin 'test-unknown-dep'", "depends on plugin 'no-such-plugin'", "not in"]
        ),
        RefusalCase(
            name: "duplicate route",
            config: Configs.with([("example-c", ""), ("test-dup-route", "")]),
            expected: [
                "cannot load plugin 'test-dup-route'",
                "route GET /api/v1/examples/c/hello of plugin 'test-dup-route' collides with GET /api/v1/examples/c/hello of plugin 'example-c'",
            ]
        ),
        RefusalCase(
            name: "section name differs from plugin name",
            config: Configs.with([("renamed", "library = \"libexample-c.so\"")]),
            expected: ["cannot load plugin 'renamed'", "is plugin 'example-c', not 'renamed'"]
        ),
    ])
    func badPluginIsRefusedWithAClearMessage(_ refusal: RefusalCase) throws {
        for command in [["serve", "--listen", "127.0.0.1:0"], ["check-config"]] {
            let result = try HostProcess.run(command, config: refusal.config)
            #expect(result.status != 0, "\(refusal.name): exit status")
            #expect(!result.stdout.contains("listening"), "\(refusal.name): the port must not open")
            for fragment in refusal.expected {
                #expect(result.stderr.contains(fragment), "\(refusal.name): stderr lacks '\(fragment)':\n\(result.stderr)")
            }
        }
    }

    @Test func dependencyOnADisabledPluginNamesIt() throws {
        let config = Configs.with([("test-unknown-dep", "")]) + "\n[plugins.no-such-plugin]\nenabled = false\n"
        let result = try HostProcess.run(["check-config"], config: config)
        #expect(result.status != 0)
        #expect(result.stderr.contains("depends on plugin 'no-such-plugin', which is disabled"))
    }

    @Test func pluginBuiltAgainstTheFrozenV1_0HeaderWorks() async throws {
        let host = try await HostProcess.start(config: Configs.with([("test-abi-v1-0", "greeting = \"frozen\"")]))
        defer { Task { await host.stop() } }
        let response = try await host.get("/api/v1/test/abi/info/42?q=query%20value")
        #expect(response.status == 200)
        #expect(response.headers["x-abi"] == "1.0")
        let json = response.json
        #expect(json["plugin"] as? String == "test-abi-v1-0")
        #expect(json["id"] as? String == "42")
        #expect(json["greeting"] as? String == "frozen")
        #expect(json["q"] as? String == "query value")
        #expect(json["has_metric_observe"] as? Bool == true)
        #expect(json["anonymous"] as? Bool == true)
        #expect(json["request_id"] as? String == response.headers["x-request-id"])
    }

    @Test func checkConfigReportsTheEnabledPlugins() throws {
        let result = try HostProcess.run(["check-config"], config: Configs.examples)
        #expect(result.status == 0)
        #expect(result.stdout.contains("OK"))
        #expect(result.stdout.contains("example-c"))
        #expect(result.stdout.contains("example-swift"))
    }

    @Test func badConfigurationNamesFileAndLine() throws {
        let config = "[host]\nlog_level = \"warning\"\nworker_threads = 0\n"
        let result = try HostProcess.run(["check-config"], config: config)
        #expect(result.status != 0)
        #expect(result.stderr.contains("plugins.conf:3:"))
        #expect(result.stderr.contains("host.worker_threads must be an integer from 1"))
    }
}

/// The ABI version the tests were built with (the fixtures use the same header).
enum ABI {
    static let major = Int(IA_ABI_MAJOR)
    static let minor = Int(IA_ABI_MINOR)
    static var version: String { "\(major).\(minor)" }
}

struct RefusalCase: Sendable, CustomTestStringConvertible {
    let name: String
    let config: String
    let expected: [String]
    var testDescription: String { name }
}
