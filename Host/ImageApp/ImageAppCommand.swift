import ArgumentParser
import Foundation
import ImageAppHost
import Logging
import Metrics
import Prometheus

/// `image-app`: runs the server (default), checks a configuration, lists plugins, or runs a
/// subcommand that a plugin registered.
@main
struct ImageAppCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image-app",
        abstract: "Image App: a self-hostable image-sharing server built from plugins.",
        discussion: """
            Plugins may add subcommands (for example `image-app create-admin --config FILE ...`);
            `image-app plugins --config FILE` lists them.
            """,
        subcommands: [Serve.self, CheckConfig.self, ListPlugins.self, Migrate.self],
        defaultSubcommand: Serve.self
    )

    /// Runs a plugin subcommand when the first argument names one; otherwise parses normally.
    static func main() async {
        // A write to a pipe or socket whose reader is gone must be an EPIPE error for whoever wrote (a plugin
        // feeding a child process, say), not a signal that ends the whole server.
        signal(SIGPIPE, SIG_IGN)
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let first = arguments.first, !first.hasPrefix("-"), !["serve", "check-config", "plugins", "migrate", "help"].contains(first) {
            Foundation.exit(PluginSubcommand.run(name: first, arguments: Array(arguments.dropFirst())))
        }
        do {
            var command = try parseAsRoot(arguments)
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            Self.exit(withError: error)
        }
    }
}

/// Options every command shares.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "The configuration file (default: $IMAGEAPP_CONFIG, else ./plugins.conf).")
    var config: String?

    var path: String {
        config ?? ProcessInfo.processInfo.environment["IMAGEAPP_CONFIG"] ?? "plugins.conf"
    }
}

/// Shared steps: read the configuration, set up logging and metrics, load plugins.
enum Bootstrap {
    /// Reads the configuration or exits with its error.
    static func configuration(path: String) -> HostConfiguration {
        do {
            return try HostConfiguration.load(path: path)
        } catch {
            fail("invalid configuration: \(error)", code: 78)
        }
    }

    /// Logging and metrics backends, then a runtime with every enabled plugin loaded.
    static func runtime(_ configuration: HostConfiguration) -> ImageAppRuntime {
        LoggingSetup.bootstrap(level: configuration.host.logLevel, format: configuration.host.logFormat)
        let metrics = MetricsRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics.prometheus))
        let runtime = ImageAppRuntime(configuration: configuration, logger: Logger(label: "image-app"), metrics: metrics)
        do {
            try runtime.load()
        } catch {
            fail("\(error)", code: 1)
        }
        return runtime
    }

    static func fail(_ message: String, code: Int32) -> Never {
        FileHandle.standardError.write(Data("image-app: \(message)\n".utf8))
        exit(code)
    }
}

/// `image-app [serve] --config FILE [--listen HOST:PORT]`
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the server (the default command).")

    @OptionGroup var options: ConfigOptions

    @Option(help: "Listen on HOST:PORT instead of host.listen (port 0 picks a free port).")
    var listen: String?

    @Option(help: "api (HTTP), worker (event consumers and jobs, no HTTP) or all.")
    var role: String = "all"

    func run() async throws {
        var listenAddress: ListenAddress?
        if let listen {
            guard let parsed = ListenAddress(parsing: listen) else {
                throw ValidationError("--listen must be HOST:PORT, got '\(listen)'")
            }
            listenAddress = parsed
        }
        guard let processRole = ProcessRole(rawValue: role) else {
            throw ValidationError("--role must be api, worker or all, got '\(role)'")
        }
        ParentWatch.startIfAsked()
        let configuration = Bootstrap.configuration(path: options.path)
        let runtime = Bootstrap.runtime(configuration)
        runtime.role = processRole
        do {
            try runtime.start()
        } catch {
            Bootstrap.fail("\(error)", code: 1)
        }
        if processRole == .worker {
            // Workers open no port; this line tells scripts the consumers are running.
            print("image-app worker running")
            fflush(nil)
        }
        do {
            try await runtime.serve(listen: listenAddress) { address in
                // A plain line on stdout for operators and scripts that wait for the port.
                print("image-app listening on http://\(address)")
                fflush(nil)
            }
        } catch {
            Bootstrap.fail("server failed: \(error)", code: 1)
        }
    }
}

/// `image-app check-config --config FILE`
struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the configuration and load (but not start) every enabled plugin."
    )

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let configuration = Bootstrap.configuration(path: options.path)
        let runtime = Bootstrap.runtime(configuration)
        let names = runtime.plugins.map(\.name)
        print("\(options.path): OK — \(names.count) plugin(s) enabled\(names.isEmpty ? "" : ": " + names.joined(separator: ", "))")
    }
}

/// `image-app migrate --config FILE`
struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply the enabled plugins' pending database migrations, then exit."
    )

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let configuration = Bootstrap.configuration(path: options.path)
        let runtime = Bootstrap.runtime(configuration)
        do {
            let applied = try runtime.migrateOnly()
            print("\(applied) migration(s) applied")
        } catch {
            Bootstrap.fail("\(error)", code: 1)
        }
    }
}

/// `image-app plugins --config FILE`
struct ListPlugins: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plugins",
        abstract: "List the enabled plugins with their versions, routes, middleware and commands."
    )

    @OptionGroup var options: ConfigOptions

    func run() throws {
        let configuration = Bootstrap.configuration(path: options.path)
        let runtime = Bootstrap.runtime(configuration)
        if runtime.summaries.isEmpty { print("no plugins enabled in \(options.path)") }
        for plugin in runtime.summaries {
            print("\(plugin.name) \(plugin.version)")
            print("  library: \(plugin.library)")
            if !plugin.dependencies.isEmpty { print("  depends on: \(plugin.dependencies.joined(separator: ", "))") }
            for route in plugin.routes { print("  route: \(route)") }
            for middleware in plugin.middleware { print("  middleware: \(middleware)") }
            for command in plugin.commands { print("  command: \(command)") }
        }
    }
}

/// `image-app NAME --config FILE [args...]` for a subcommand a plugin registered.
enum PluginSubcommand {
    static func run(name: String, arguments: [String]) -> Int32 {
        var rest: [String] = []
        var configPath: String?
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--config", index + 1 < arguments.count {
                configPath = arguments[index + 1]
                index += 2
                continue
            }
            if argument.hasPrefix("--config=") {
                configPath = String(argument.dropFirst("--config=".count))
            } else {
                rest.append(argument)
            }
            index += 1
        }
        let path = configPath ?? ProcessInfo.processInfo.environment["IMAGEAPP_CONFIG"] ?? "plugins.conf"
        let configuration = Bootstrap.configuration(path: path)
        let runtime = Bootstrap.runtime(configuration)
        guard runtime.commands.contains(where: { $0.name == name }) else {
            let known = runtime.commands.map(\.name)
            Bootstrap.fail(
                "unknown command '\(name)'. Built-in: serve, check-config, plugins. From plugins: \(known.isEmpty ? "none" : known.joined(separator: ", "))",
                code: 64
            )
        }
        runtime.role = .api  // publish the events it commits; consume none
        do {
            try runtime.start()
        } catch {
            Bootstrap.fail("\(error)", code: 1)
        }
        let code = runtime.runCommand(name, arguments: rest) ?? 64
        runtime.stop()
        return code
    }
}
