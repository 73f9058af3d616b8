import CImageAppPlugin
import Foundation
import Hummingbird

/// Everything plugins registered during `init`: routes, middleware, commands, handlers, jobs.
///
/// Filled while plugins run `init` on the lifecycle thread, then frozen by ``freeze(blobStore:)``
/// before any plugin starts: the run-time parts (request handling, the relay, consumers and jobs)
/// read an immutable snapshot, and a registration after the freeze is refused.
public final class PluginRegistry: Sendable {
    /// What plugins registered, apart from routes and the command bus's tables.
    struct Tables: Sendable {
        var middleware: [MiddlewareEntry] = []
        var commands: [String: CommandEntry] = [:]
        var eventBus = EventBus()
        var jobs: [JobScheduler.Job] = []
        var blobStores = BlobStores()
    }

    let routes = RouteTable<RouteTarget>()
    private let tables = Freezable(Tables())
    let metrics: MetricsRegistry
    /// PostgreSQL and Redis, when configured.
    let services: HostServices
    /// Commands, queries and migrations.
    let commandBus: CommandBus
    /// Pub/sub subscriptions (plugins may add them in `start` too, so these stay open).
    let subscriptions = RedisSubscriptions()
    /// The body limit of routes that do not set their own.
    let defaultBodyLimit: Int
    /// Subcommand names the host itself owns.
    static let builtinCommands: Set<String> = ["serve", "check-config", "plugins", "migrate", "help"]

    init(metrics: MetricsRegistry, defaultBodyLimit: Int, services: HostServices, commandBus: CommandBus) {
        self.metrics = metrics
        self.defaultBodyLimit = defaultBodyLimit
        self.services = services
        self.commandBus = commandBus
    }

    /// Chooses the active blob store and ends registration.
    func freeze(blobStore configured: String?) throws(PluginLoadError) {
        var failure: PluginLoadError?
        _ = tables.update { tables in
            do throws(PluginLoadError) {
                try tables.blobStores.activate(configured: configured)
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        tables.freeze()
        commandBus.freeze()
    }

    /// Middleware in run order.
    var middleware: [MiddlewareEntry] { tables.value.middleware }
    /// Event handlers.
    var eventBus: EventBus { tables.value.eventBus }
    /// Periodic jobs.
    var jobs: [JobScheduler.Job] { tables.value.jobs }
    /// Blob storage backends and the active one.
    var blobStores: BlobStores { tables.value.blobStores }

    /// Refusal of a registration after the freeze.
    private static func tooLate(_ what: String) -> RegistrationError {
        .wrongPhase("\(what) are registered only in init")
    }

    // MARK: Routes

    /// Adds a route or explains the refusal.
    func addRoute(method: String, path: String, target: RouteTarget) -> Result<Void, RegistrationError> {
        let allowed = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
        guard allowed.contains(method) else {
            return .failure(.invalid("route method '\(method)' is not one of \(allowed.joined(separator: ", "))"))
        }
        let pattern: RoutePattern
        switch RoutePattern.parse(path) {
        case .success(let parsed): pattern = parsed
        case .failure(let error): return .failure(.invalid("route path '\(path)' \(error)"))
        }
        guard !tables.isFrozen else { return .failure(Self.tooLate("routes")) }
        var target = target
        target.metricsID = routes.entries.count + 1
        if let existing = routes.insert(method: method, pattern: pattern, value: target) {
            return .failure(
                .conflict(
                    "route \(method) \(path) of plugin '\(target.owner)' collides with \(existing.method) \(existing.pattern) of \(existing.value.owner == "host" ? "the host" : "plugin '\(existing.value.owner)'")"
                )
            )
        }
        return .success(())
    }

    /// Routes in registration order.
    var routeEntries: [RouteTable<RouteTarget>.Entry] { routes.entries }

    // MARK: Middleware

    func addMiddleware(_ entry: MiddlewareEntry) -> Result<Void, RegistrationError> {
        tables.update { $0.addMiddleware(entry) } ?? .failure(Self.tooLate("middleware"))
    }

    // MARK: Commands

    func addCommand(_ entry: CommandEntry) -> Result<Void, RegistrationError> {
        tables.update { $0.addCommand(entry) } ?? .failure(Self.tooLate("commands"))
    }

    /// Commands sorted by name.
    var commandEntries: [CommandEntry] { tables.value.commands.values.sorted { $0.name < $1.name } }

    /// The command-line subcommand `name`.
    func command(named name: String) -> CommandEntry? { tables.value.commands[name] }

    // MARK: Events, jobs, blob stores

    func addEventHandler(_ handler: EventBus.Handler) -> Result<Void, RegistrationError> {
        tables.update { $0.eventBus.add(handler) } ?? .failure(Self.tooLate("event handlers"))
    }

    func addJob(_ job: JobScheduler.Job) -> Result<Void, RegistrationError> {
        tables.update { JobScheduler.add(job, to: &$0.jobs) } ?? .failure(Self.tooLate("jobs"))
    }

    func addBlobStore(_ store: BlobStores.Store) -> Result<Void, RegistrationError> {
        tables.update { $0.blobStores.add(store) } ?? .failure(Self.tooLate("blob stores"))
    }
}

extension PluginRegistry.Tables {
    mutating func addMiddleware(_ entry: MiddlewareEntry) -> Result<Void, RegistrationError> {
        guard !entry.name.isEmpty, entry.name.utf8.count <= 128 else {
            return .failure(.invalid("middleware name must be 1-128 bytes"))
        }
        if let existing = middleware.first(where: { $0.name == entry.name }) {
            return .failure(
                .conflict("middleware '\(entry.name)' of plugin '\(entry.plugin.name)' is already registered by plugin '\(existing.plugin.name)'")
            )
        }
        middleware.append(entry)
        // Stable sort: equal orders keep load order, then registration order.
        middleware = middleware.enumerated().sorted { ($0.element.order, $0.offset) < ($1.element.order, $1.offset) }.map(\.element)
        return .success(())
    }

    mutating func addCommand(_ entry: CommandEntry) -> Result<Void, RegistrationError> {
        guard PluginSection.isValidName(entry.name) else {
            return .failure(.invalid("command name '\(entry.name)' must be 1-64 characters of a-z, 0-9 and '-'"))
        }
        if PluginRegistry.builtinCommands.contains(entry.name) {
            return .failure(.conflict("command '\(entry.name)' of plugin '\(entry.plugin.name)' is a built-in command of image-app"))
        }
        if let existing = commands[entry.name] {
            return .failure(
                .conflict("command '\(entry.name)' of plugin '\(entry.plugin.name)' is already registered by plugin '\(existing.plugin.name)'")
            )
        }
        commands[entry.name] = entry
        return .success(())
    }
}

/// Why a registration was refused; `status` is what the ABI call returns.
enum RegistrationError: Error, CustomStringConvertible {
    case invalid(String)
    case conflict(String)
    case wrongPhase(String)

    var description: String {
        switch self {
        case .invalid(let m), .conflict(let m), .wrongPhase(let m): m
        }
    }

    var status: ia_status {
        switch self {
        case .invalid: IA_ERR_INVALID_ARGUMENT
        case .conflict: IA_ERR_CONFLICT
        case .wrongPhase: IA_ERR_STATE
        }
    }
}

/// What a route leads to.
struct RouteTarget: Sendable {
    enum Kind: Sendable {
        case plugin(PluginHandler)
        case builtin(@Sendable (Request, HostRequestContext) async -> Response)
    }

    /// `host` or the plugin's name.
    let owner: String
    let kind: Kind
    let flags: UInt32
    /// The body limit for this route.
    let maxBodyBytes: Int
    var metadata: RouteMetadata
    /// A small number naming the route in metrics (0: unmatched); set by the registry.
    var metricsID = 0
    /// Set for `IA_ROUTE_MULTIPART` routes: the host reads their body as a form.
    var multipart: MultipartRoute? = nil
    /// The route's metadata for middleware (`ia_route_def.metadata`, ABI 1.11), e.g. `rate_limit` → `uploads`.
    var labels: [String: String] = [:]
}

/// A plugin's C handler and its user data.
///
/// `@unchecked Sendable`: `function` and `userData` are the plugin's, which the ABI requires to
/// be usable from any worker thread for the life of the process; the rest is immutable.
struct PluginHandler: @unchecked Sendable {
    let plugin: PluginContext
    let function: ia_handler_fn
    let userData: UnsafeMutableRawPointer?
}

/// OpenAPI metadata of a route.
struct RouteMetadata: Sendable {
    var summary: String?
    var description: String?
    var tag: String?
    /// Parsed JSON Schema objects (validated at registration).
    var requestSchema: JSONValue?
    /// The request body's media type (`application/json` unless the route says otherwise).
    var requestContentType = "application/json"
    var responseSchema: JSONValue?
    var successStatus: Int = 200
    var hidden = false
    /// An `IA_ROUTE_FORM_OR_BODY` route (ABI 1.13): it takes `application/json` beside its form.
    var acceptsPlainBody = false
    /// The JSON Schema of that plain body (`ia_route_def.body_schema`).
    var bodySchema: JSONValue?
}

/// A registered middleware.
///
/// `@unchecked Sendable`: see ``PluginHandler``.
struct MiddlewareEntry: @unchecked Sendable {
    let name: String
    let order: Int32
    let nonblocking: Bool
    /// Lacks `IA_MIDDLEWARE_BEFORE_BODY`: the body is read before it runs.
    let readsBody: Bool
    let plugin: PluginContext
    let function: ia_middleware_fn
    let userData: UnsafeMutableRawPointer?
}

/// A registered command-line subcommand.
///
/// `@unchecked Sendable`: see ``PluginHandler``.
public struct CommandEntry: @unchecked Sendable {
    public let name: String
    public let summary: String
    public let usage: String
    let plugin: PluginContext
    let function: ia_cli_fn
    let userData: UnsafeMutableRawPointer?
}
