import CImageAppPlugin
import Foundation
import Hummingbird
public import Logging
import Metrics
import NIOCore
import NIOPosix
import Prometheus
import ServiceLifecycle
import UnixSignals
import Synchronization

/// One host process: its configuration, its loaded plugins and, when serving, its HTTP server.
///
/// The lifecycle is `load` (handshake + `init` of every enabled plugin), `start`, then `serve`
/// or `runCommand`, then `stop`. Any failure before serving is thrown so the caller can exit
/// non-zero before a port is opened.
public final class ImageAppRuntime: @unchecked Sendable {
    // @unchecked: `plugins` and `started` change only on the lifecycle thread, before serving
    // begins and after it ends; request handling reads nothing mutable from here.

    public let configuration: HostConfiguration
    public let logger: Logger
    let registry: PluginRegistry
    /// Loaded plugins in dependency order.
    public private(set) var plugins: [PluginContext] = []
    private var started: [PluginContext] = []
    /// What this process does; set before `start`.
    public var role: ProcessRole = .all
    private let openAPIText = SharedText("{}")
    /// PostgreSQL and Redis, when configured.
    let services: HostServices

    public init(configuration: HostConfiguration, logger: Logger, metrics: MetricsRegistry) {
        self.configuration = configuration
        self.logger = logger
        self.registry = PluginRegistry(metrics: metrics, defaultBodyLimit: configuration.host.bodyLimitBytes)
        self.services = HostServices(settings: configuration.host, logger: logger)
        registry.commandBus.services = services
        registry.commandBus.eventBus = registry.eventBus
        registry.eventBus.logger = logger
        registry.commandBus.maxAttempts = configuration.host.commandMaxAttempts
        registry.commandBus.logger = logger
        metrics.reserve(name: "http_requests_total", kind: IA_METRIC_COUNTER, labelNames: ["method", "route", "status"])
        metrics.reserve(name: "http_request_duration_seconds", kind: IA_METRIC_HISTOGRAM, labelNames: ["method", "route"])
        let services = self.services
        let stream = configuration.host.eventsStream
        BuiltinRoutes.register(
            in: registry,
            openAPI: { [openAPIText] in openAPIText.value },
            ready: { await services.readiness() },
            beforeMetrics: { await services.runBlocking { ServiceMetrics.sample(services, stream: stream) } }
        )
    }

    // MARK: Lifecycle

    /// Opens every enabled plugin, checks the handshake and runs `init`, in dependency order.
    public func load() throws(PluginLoadError) {
        plugins = try PluginLoader.load(configuration: configuration, registry: registry, logger: logger)
        let document = OpenAPIDocument.build(routes: registry.routeEntries, plugins: plugins)
        openAPIText.value = document.text
    }

    /// Runs `start` of every plugin in order; on a failure, stops those already started.
    public func start() throws(PluginLoadError) {
        try registry.blobStores.activate(configured: configuration.host.blobStore)
        services.start()
        do {
            try migrate()
        } catch {
            services.stop()
            throw error
        }
        registry.eventBus.start(services: services, settings: configuration.host, runWorkers: role != .api)
        if role != .api {
            registry.jobs.logger = logger
            registry.jobs.start(
                redis: services.redis,
                namespace: configuration.host.redisNamespace,
                leaseSeconds: configuration.host.jobLeaseSeconds
            )
        }
        for context in plugins {
            let descriptor = context.descriptor.pointee
            if let start = descriptor.start {
                var error = ia_error()
                error.struct_size = SizedStruct.size(of: ia_error.self)
                let status = start(HostAPI.table, context.handle, descriptor.user_data, &error)
                if status != IA_OK {
                    stop()
                    throw PluginLoadError(plugin: context.name, message: "start failed (status \(status)): \(ErrorBuffer.message(of: &error))")
                }
            }
            context.phase = .started
            started.append(context)
        }
        if let redis = services.redis {
            if let near = services.cache?.near, near.isEnabled { registry.subscriptions.add(near.subscription) }
            registry.subscriptions.start(url: redis.url, logger: logger)
        }
    }

    /// Applies pending migrations of the loaded plugins; returns how many ran.
    @discardableResult
    public func migrate() throws(PluginLoadError) -> Int {
        var migrations = registry.commandBus.migrations
        guard let database = services.database else {
            guard migrations.isEmpty else {
                let owners = migrations.keys.sorted().joined(separator: ", ")
                throw PluginLoadError(plugin: owners, message: "it has database migrations but host.database_url is not set")
            }
            return 0
        }
        // The host's own tables (the event outbox) come first.
        migrations["host"] = HostMigrations.all
        return try MigrationRunner.run(pool: database, migrations: migrations, order: ["host"] + plugins.map(\.name), logger: logger)
    }

    /// `image-app migrate`: migrations without starting plugins.
    public func migrateOnly() throws(PluginLoadError) -> Int {
        services.start()
        defer { services.stop() }
        return try migrate()
    }

    /// Runs `stop` of every started plugin in reverse order.
    public func stop() {
        for context in started.reversed() {
            let descriptor = context.descriptor.pointee
            descriptor.stop?(HostAPI.table, context.handle, descriptor.user_data)
            context.phase = .stopped
        }
        started.removeAll()
        registry.subscriptions.stop()
        registry.jobs.stop()
        registry.eventBus.stop()
        services.stop()
    }

    // MARK: Serving

    /// Serves HTTP until SIGTERM or SIGINT, lets in-flight requests finish, then stops plugins.
    /// - Parameter onListening: called with the bound address once the port is open.
    public func serve(listen: ListenAddress? = nil, onListening: @escaping @Sendable (String) -> Void = { _ in }) async throws {
        let settings = configuration.host
        if role == .worker {
            try await serveWorkerOnly()
            return
        }
        let address = listen ?? settings.listen
        let pool = NIOThreadPool(numberOfThreads: settings.workerThreads)
        pool.start()
        let dispatcher = PluginDispatcher(pool: pool, middleware: registry.middleware, settings: settings)
        let responder = HostResponder(
            routes: registry.routes,
            dispatcher: dispatcher,
            trustedProxies: settings.trustedProxies,
            logger: logger,
            metrics: HTTPMetrics(
                routeLabels: Dictionary(uniqueKeysWithValues: registry.routeEntries.map { ($0.value.metricsID, $0.pattern.text) })
            ),
            multipart: MultipartSettings(settings)
        )
        let logger = self.logger
        let app = Application(
            responder: responder,
            server: .http1(configuration: .init(idleTimeout: .nanoseconds(Int64(settings.idleTimeoutSeconds * 1e9)))),
            configuration: ApplicationConfiguration(
                address: .hostname(address.host, port: address.port),
                serverName: nil
            ),
            onServerRunning: { channel in
                let bound = channel.localAddress.map { "\($0.ipAddress ?? address.host):\($0.port ?? address.port)" } ?? address.description
                logger.notice("listening", metadata: ["address": "\(bound)"])
                onListening(bound)
            },
            logger: logger
        )
        var groupConfiguration = ServiceGroupConfiguration(
            services: [.init(service: app)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        groupConfiguration.maximumGracefulShutdownDuration = .nanoseconds(Int64(settings.shutdownTimeoutSeconds * 1e9))
        let group = ServiceGroup(configuration: groupConfiguration)
        do {
            try await group.run()
        } catch {
            logger.error("server stopped with an error: \(error)")
            try? await pool.shutdownGracefully()
            stop()
            throw error
        }
        logger.notice("server stopped; stopping plugins")
        try? await pool.shutdownGracefully()
        stop()
    }

    /// A worker process: consumers and jobs run on their own threads; this waits for a signal.
    private func serveWorkerOnly() async throws {
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: UntilShutdown())],
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        logger.notice("worker running", metadata: ["event_handlers": "\(registry.eventBus.handlers.filter { !$0.inProcess }.count)"])
        try await group.run()
        logger.notice("worker stopping")
        stop()
    }

    // MARK: Commands

    /// Commands registered by plugins, sorted by name.
    public var commands: [CommandEntry] { registry.commandEntries }

    /// Runs a plugin's subcommand with `arguments`; returns its exit code, or nil when no
    /// plugin registered `name`.
    public func runCommand(_ name: String, arguments: [String]) -> Int32? {
        guard let command = registry.commands[name] else { return nil }
        let cStrings = arguments.map { CString.allocate($0) }
        defer { cStrings.forEach { $0.deallocate() } }
        var argv: [UnsafePointer<CChar>?] = cStrings.map { UnsafePointer($0) }
        argv.append(nil)
        return argv.withUnsafeBufferPointer { buffer in
            command.function(command.userData, HostAPI.table, command.plugin.handle, Int32(arguments.count), buffer.baseAddress)
        }
    }

    // MARK: Introspection

    /// One loaded plugin as `image-app plugins` lists it.
    public struct PluginSummary: Sendable {
        public var name: String
        public var version: String
        public var library: String
        public var dependencies: [String]
        public var routes: [String]
        public var middleware: [String]
        public var commands: [String]
    }

    /// What each loaded plugin registered.
    public var summaries: [PluginSummary] {
        plugins.map { context in
            PluginSummary(
                name: context.name,
                version: context.version,
                library: context.libraryPath,
                dependencies: context.dependencies,
                routes: registry.routeEntries.filter { $0.value.owner == context.name }.map { "\($0.method) \($0.pattern)" },
                middleware: registry.middleware.filter { $0.plugin === context }.map { "\($0.name) (order \($0.order))" },
                commands: registry.commandEntries.filter { $0.plugin === context }.map { "\($0.name) — \($0.summary)" }
            )
        }
    }

    /// The OpenAPI document served at `/api/v1/openapi.json`.
    public var openAPIDocument: String { openAPIText.value }
}

/// A string shared between threads.
final class SharedText: Sendable {
    private let storage: Mutex<String>

    init(_ value: String) { storage = Mutex(value) }

    var value: String {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}

/// A service that only waits for graceful shutdown (the worker role's main task).
struct UntilShutdown: Service {
    func run() async throws {
        try await gracefulShutdown()
    }
}
