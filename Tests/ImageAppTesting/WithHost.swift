/// Runs `body` with an `image-app` started from `config(resources)` on resources of its own (a fresh database when
/// `database` holds, a Redis namespace, a temporary folder), then stops every instance and gives the resources back
/// (drops the database, deletes the namespace's Redis keys, removes the folder), whether `body` returns or throws.
///
/// ```swift
/// try await withHost(config: { "[host]\n\($0.hostLines())\n[plugins.test-data]\nenabled = true\n" }) { host in
///     #expect(try await host.get("/healthz").status == 200)
/// }
/// ```
public func withHost(
    database: Bool = true,
    environment: [String: String] = [:],
    role: String = "all",
    config: (TestResources) throws -> String,
    _ body: (TestHost) async throws -> Void
) async throws {
    try await HostSlots.withSlot {
        try await withScopedHost(database: database, environment: environment, role: role, config: config, body)
    }
}

/// The body of ``withHost(database:environment:role:config:_:)``, once it holds a slot.
private func withScopedHost(
    database: Bool,
    environment: [String: String],
    role: String,
    config: (TestResources) throws -> String,
    _ body: (TestHost) async throws -> Void
) async throws {
    let resources = try TestResources.make(database: database)
    let host: TestHost
    do {
        host = try await TestHost(resources: resources, config: try config(resources), environment: environment, role: role)
    } catch {
        resources.remove()
        throw error
    }
    do {
        try await body(host)
        await host.tearDown()
    } catch {
        await host.tearDown()
        throw error
    }
}

/// ``withHost(database:environment:role:config:_:)`` with `plugins` enabled (name → extra TOML lines of its
/// section, in load order) and `host` lines added to the `[host]` section that ``TestResources/hostLines(redis:)``
/// starts: the common case.
///
/// ```swift
/// try await withHost(plugins: ["test-data": "job_interval_ms = 300"]) { host in ... }
/// ```
public func withHost(
    plugins: KeyValuePairs<String, String>,
    host hostLines: String = "",
    database: Bool = true,
    redis: Bool = true,
    environment: [String: String] = [:],
    role: String = "all",
    _ body: (TestHost) async throws -> Void
) async throws {
    let config = { (resources: TestResources) in
        var text = "[host]\n\(resources.hostLines(redis: redis))\(hostLines)\n"
        for (name, lines) in plugins { text += "\n[plugins.\(name)]\nenabled = true\n\(lines)\n" }
        return text
    }
    try await withHost(database: database, environment: environment, role: role, config: config, body)
}

/// ``withHost(database:environment:role:config:_:)`` with a fixed configuration text (e.g. ``Configs/examples``), for
/// hosts that need no database or Redis of their own; still stopped and cleaned up at the end.
public func withHost(
    config: String,
    environment: [String: String] = [:],
    role: String = "all",
    _ body: (TestHost) async throws -> Void
) async throws {
    try await withHost(database: false, environment: environment, role: role, config: { _ in config }, body)
}
