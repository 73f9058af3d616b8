import CImageAppPlugin
import Foundation
import Hummingbird
public import Logging
import Metrics
import NIOCore
import NIOPosix
import Prometheus
import ServiceLifecycle
import Synchronization
import UnixSignals

/// One host process: its configuration, its loaded plugins and, when serving, its HTTP server.
///
/// The lifecycle is `load` (handshake + `init` of every enabled plugin), `start` (freeze the
/// registries, migrate, `start` of every plugin), then `serve` (one `ServiceGroup`: subscriber,
/// outbox relay, consumers, jobs, HTTP server) or `runCommand`, then `stop`. Any failure before
/// serving is thrown so the caller can exit non-zero before a port is opened.
public final class ImageAppRuntime: @unchecked Sendable {
    // @unchecked: `plugins`, `started` and `role` change only on the lifecycle thread (the
    // caller's), before serving begins and after it ends; the services and request handling
    // read the frozen registry, nothing mutable from here.

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
    /// From the command bus to the outbox relay: the ids of each commit's events, and a wake-up.
    private let outbox = OutboxHandoff(loop: BlockingLoop(name: "image-app outbox relay"))

    public init(configuration: HostConfiguration, logger: Logger, metrics: MetricsRegistry) {
        self.configuration = configuration
        self.logger = logger
        self.services = HostServices(settings: configuration.host, logger: logger)
        let commandBus = CommandBus(
            services: services,
            outbox: outbox,
            maxAttempts: configuration.host.commandMaxAttempts,
            logger: logger
        )
        self.registry = PluginRegistry(
            metrics: metrics,
            defaultBodyLimit: configuration.host.bodyLimitBytes,
            services: services,
            commandBus: commandBus
        )
        metrics.reserve(name: "http_requests_total", kind: IA_METRIC_COUNTER, labelNames: ["method", "route", "status"])
        metrics.reserve(name: "http_request_duration_seconds", kind: IA_METRIC_HISTOGRAM, labelNames: ["method", "route"])
        metrics.reserve(name: "http_requests_in_flight", kind: IA_METRIC_GAUGE, labelNames: [])
        let services = self.services
        let streams = EventStreams(main: configuration.host.eventsStream)
        let registry = self.registry
        BuiltinRoutes.register(
            in: registry,
            openAPI: { [openAPIText] in openAPIText.value },
            ready: { await services.readiness() },
            beforeMetrics: {
                let read = Set(registry.eventBus.handlers.filter { !$0.inProcess }.map { streams.stream(forHandlerOf: $0.eventType) })
                await services.runBlocking { ServiceMetrics.sample(services, streams: [streams.main] + read.subtracting([streams.main]).sorted()) }
            }
        )
    }

    // MARK: Lifecycle

    /// Opens every enabled plugin, checks the handshake and runs `init`, in dependency order.
    public func load() throws(PluginLoadError) {
        plugins = try PluginLoader.load(configuration: configuration, registry: registry, logger: logger)
        let document = OpenAPIDocument.build(routes: registry.routeEntries, plugins: plugins)
        openAPIText.value = document.text
    }

    /// Freezes the registries, applies migrations and runs `start` of every plugin in order; on
    /// a failure, stops those already started. The background services run in ``serve(listen:onListening:)``.
    public func start() throws(PluginLoadError) {
        try registry.freeze(blobStore: configuration.host.blobStore)
        services.start()
        do {
            try migrate()
        } catch {
            services.stop()
            throw error
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

    /// Runs `stop` of every started plugin in reverse order, then closes the pools. The service
    /// group has ended by now, so no relay, consumer or job runs plugin code any more.
    public func stop() {
        for context in started.reversed() {
            let descriptor = context.descriptor.pointee
            descriptor.stop?(HostAPI.table, context.handle, descriptor.user_data)
            context.phase = .stopped
        }
        started.removeAll()
        services.stop()
    }

    // MARK: Serving

    /// Serves until SIGTERM or SIGINT, then shuts the service group down in reverse order (the
    /// HTTP server drains in-flight requests, jobs and consumers finish what they run, the relay
    /// publishes what is left, the subscriber closes) and stops the plugins. The worker role
    /// runs the same group without the HTTP server.
    /// - Parameter onListening: called with the bound address once the port is open.
    public func serve(listen: ListenAddress? = nil, onListening: @escaping @Sendable (String) -> Void = { _ in }) async throws {
        let settings = configuration.host
        var group = backgroundServices().map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) }
        // Subscribed before the port opens: until then invalidations could be missed, so no cache copies are kept
        // in memory and no plugin keeps copies that revocations guard.
        if let url = services.redis?.url,
            !(await registry.subscriptions.startAndWait(url: url, clientName: subscriberName, logger: logger, timeout: .seconds(3)))
        {
            logger.warning("Redis pub/sub is not connected yet; serving without in-memory cache copies until it is")
        }
        var pool: NIOThreadPool?
        if role == .worker {
            logger.notice("worker running", metadata: ["event_handlers": "\(registry.eventBus.handlers.filter { !$0.inProcess }.count)"])
        } else {
            let threads = NIOThreadPool(numberOfThreads: settings.workerThreads)
            threads.start()
            pool = threads
            group.append(.init(service: httpServer(listen: listen ?? settings.listen, pool: threads, onListening: onListening)))
        }
        // Streams (ABI 1.12) close first on shutdown, before the HTTP server waits for open responses.
        group.append(.init(service: StreamService(hub: services.streams, logger: logger)))
        var groupConfiguration = ServiceGroupConfiguration(services: group, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = .nanoseconds(Int64(settings.shutdownTimeoutSeconds * 1e9))
        do {
            try await ServiceGroup(configuration: groupConfiguration).run()
        } catch {
            logger.error("server stopped with an error: \(error)")
            try? await pool?.shutdownGracefully()
            stop()
            throw error
        }
        logger.notice("\(role == .worker ? "worker stopping" : "server stopped; stopping plugins")")
        try? await pool?.shutdownGracefully()
        stop()
    }

    /// The services before the HTTP server, in start order (they stop in reverse): a barrier
    /// that keeps the group up until a signal, the Redis subscriber, the outbox relay, then for
    /// worker roles one consumer per worker event handler and the job scheduler.
    private func backgroundServices() -> [any Service] {
        let settings = configuration.host
        var list: [any Service] = [UntilShutdown()]
        if subscriptionsURL() != nil {
            list.append(SubscriptionService(subscriptions: registry.subscriptions, logger: logger))
        }
        guard let relay = makeRelay() else { return list }
        list.append(relay)
        guard role != .api else { return list }
        let workerHandlers = registry.eventBus.handlers.filter { !$0.inProcess }
        if let redis = services.redis {
            for handler in workerHandlers {
                list.append(
                    StreamConsumer(
                        handler: handler,
                        redis: redis,
                        streams: EventStreams(main: settings.eventsStream),
                        maxAttempts: handler.maxAttempts > 0 ? handler.maxAttempts : settings.eventMaxAttempts,
                        retryBase: settings.eventRetryBaseSeconds,
                        logger: logger
                    )
                )
            }
        } else if !workerHandlers.isEmpty {
            logger.error("worker event handlers are registered but host.redis_url is not set; they will not run")
        }
        if let jobs = jobScheduler() { list.append(jobs) }
        return list
    }

    /// The subscriber connection's name in `CLIENT LIST`: which namespace it serves (names allow no spaces).
    private var subscriberName: String {
        "image-app-subscriber:" + String(configuration.host.redisNamespace.map { $0.isWhitespace || $0.isNewline ? "_" : $0 })
    }

    /// Where the subscriptions are served, when Redis is configured; adds the near cache's.
    private func subscriptionsURL() -> RedisURL? {
        guard let redis = services.redis else { return nil }
        if let near = services.cache?.near, near.isEnabled {
            registry.subscriptions.add(near.subscription)
            registry.subscriptions.observeEpoch { near.epochChanged($0) }
        }
        return redis.url
    }

    /// The job scheduler for a worker role, when jobs are registered and Redis is configured.
    private func jobScheduler() -> JobScheduler? {
        let jobs = registry.jobs
        guard !jobs.isEmpty else { return nil }
        guard let redis = services.redis else {
            logger.error("jobs are registered but host.redis_url is not set; they will not run", metadata: ["jobs": "\(jobs.map(\.fullName))"])
            return nil
        }
        let settings = configuration.host
        return JobScheduler(jobs: jobs, redis: redis, namespace: settings.redisNamespace, leaseSeconds: settings.jobLeaseSeconds, logger: logger)
    }

    /// The outbox relay, when a database is configured.
    private func makeRelay() -> OutboxRelay? {
        guard let database = services.database else { return nil }
        return OutboxRelay(
            database: database,
            redis: services.redis,
            streams: EventStreams(main: configuration.host.eventsStream),
            inProcess: registry.eventBus.handlers.filter(\.inProcess),
            handoff: outbox,
            logger: logger
        )
    }

    /// The Hummingbird application that serves the routes.
    private func httpServer(listen address: ListenAddress, pool: NIOThreadPool, onListening: @escaping @Sendable (String) -> Void) -> some Service {
        let settings = configuration.host
        let dispatcher = PluginDispatcher(pool: pool, middleware: registry.middleware, settings: settings)
        let responder = HostResponder(
            routes: registry.routes,
            dispatcher: dispatcher,
            trustedProxies: settings.trustedProxies,
            logger: logger,
            metrics: HTTPMetrics(
                routeLabels: Dictionary(uniqueKeysWithValues: registry.routeEntries.map { ($0.value.metricsID, $0.pattern.text) })
            ),
            multipart: MultipartSettings(settings),
            bodyIntake: BodyIntake(bytesInFlight: settings.bodyBytesInFlight)
        )
        let logger = self.logger
        let readLimits = ReadDeadlines.Limits(
            headerTimeout: .seconds(settings.headerTimeoutSeconds),
            bodyTimeout: .seconds(settings.bodyTimeoutSeconds),
            bodyMinBytesPerSecond: settings.bodyMinBytesPerSecond
        )
        return Application(
            responder: responder,
            server: .guardedHTTP1(limits: readLimits, idleTimeout: .seconds(settings.idleTimeoutSeconds), upgrades: responder),
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
    }

    // MARK: Commands

    /// Commands registered by plugins, sorted by name.
    public var commands: [CommandEntry] { registry.commandEntries }

    /// Runs a plugin's subcommand with `arguments`; returns its exit code, or nil when no
    /// plugin registered `name`.
    public func runCommand(_ name: String, arguments: [String]) -> Int32? {
        guard let command = registry.command(named: name) else { return nil }
        let cStrings = arguments.map { CString.allocate($0) }
        defer { cStrings.forEach { $0.deallocate() } }
        var argv: [UnsafePointer<CChar>?] = cStrings.map { UnsafePointer($0) }
        argv.append(nil)
        // No service group runs for a one-off command: its subscriptions and the outbox relay
        // run around it (events it commits go out as they commit, not when it ends), and the
        // relay publishes what remains before the command returns.
        if let url = subscriptionsURL() { registry.subscriptions.start(url: url, clientName: subscriberName, logger: logger) }
        defer { registry.subscriptions.stop() }
        let stopRelay = makeRelay()?.startForCommand()
        let code = argv.withUnsafeBufferPointer { buffer in
            command.function(command.userData, HostAPI.table, command.plugin.handle, Int32(arguments.count), buffer.baseAddress)
        }
        stopRelay?()
        return code
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

/// A service that only waits for graceful shutdown: the first of the group, so the group runs
/// until a signal even when nothing else does (a worker with no handlers or jobs).
struct UntilShutdown: Service {
    func run() async throws {
        try await gracefulShutdown()
    }
}
