public import Foundation

/// A running `image-app` on a test's own ``TestResources``, made by `withHost`: the first instance, any more the test
/// starts with ``startInstance(role:environment:)`` (all stopped at the end), and HTTP calls to the first one.
public final class TestHost: @unchecked Sendable {
    // @unchecked: `instances` is only touched by the test that owns this object, one call at a time.

    /// The database, Redis namespace and folder of this test.
    public let resources: TestResources
    /// The configuration text the instances run with (also for `image-app` subcommands: ``run(_:stdin:)``).
    public let config: String
    /// The first instance.
    public let process: HostProcess
    private var instances: [HostProcess]

    init(resources: TestResources, config: String, environment: [String: String], role: String) async throws {
        self.resources = resources
        self.config = config
        process = try await HostProcess.start(
            config: config,
            environment: environment,
            role: role,
            directory: resources.directory + "/instance-1"
        )
        instances = [process]
    }

    /// The fresh database; fails the test when the host was made without one.
    public var database: (name: String, url: String) {
        get throws {
            guard let database = resources.database else { throw HostProcessError(message: "this host has no database") }
            return database
        }
    }

    /// Starts another instance with the same configuration (a second API instance, a worker); it is stopped with the
    /// first one.
    @discardableResult
    public func startInstance(role: String = "all", environment: [String: String] = [:]) async throws -> HostProcess {
        let instance = try await HostProcess.start(
            config: config,
            environment: environment,
            role: role,
            directory: resources.directory + "/instance-\(instances.count + 1)"
        )
        instances.append(instance)
        return instance
    }

    /// Runs `image-app` with `arguments` and this host's configuration to completion (e.g. `create-admin`), without
    /// holding a thread of the cooperative pool meanwhile.
    public func run(_ arguments: [String], stdin: String? = nil) async throws -> (status: Int32, stdout: String, stderr: String) {
        let config = config
        return try await offCooperativePool { try HostProcess.run(arguments, config: config, stdin: stdin) }
    }

    /// Stops every instance, then gives the resources back.
    func tearDown() async {
        for instance in instances.reversed() { await instance.stop() }
        resources.remove()
    }

    // MARK: HTTP to the first instance

    public var baseURL: URL { process.baseURL }

    /// What the first instance wrote to standard error so far.
    public var stderr: String { process.stderr }

    public func request(_ method: String, _ path: String, headers: [String: String] = [:], body: Data? = nil) async throws -> HTTPResult {
        try await process.request(method, path, headers: headers, body: body)
    }

    public func get(_ path: String, headers: [String: String] = [:]) async throws -> HTTPResult {
        try await process.get(path, headers: headers)
    }

    /// A JSON request (see ``HostProcess/send(_:_:json:token:headers:)``).
    public func send(
        _ method: String,
        _ path: String,
        json: Any? = nil,
        token: String? = nil,
        headers: [String: String] = [:]
    ) async throws -> HTTPResult {
        try await process.send(method, path, json: json, token: token, headers: headers)
    }
}
