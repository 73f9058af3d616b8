import Foundation
import ImageAppTesting
import Testing

/// The test support's scoped host gives back everything it made, also when the test fails midway: otherwise every
/// failing run would leave servers, databases and Redis keys behind for the next one.
@Suite(.timeLimit(.minutes(12)))
struct WithHostTests {
    struct PlannedFailure: Error {}

    @Test func everythingIsGivenBackWhenTheBodyThrows() async throws {
        nonisolated(unsafe) var made: (database: String, namespace: String, directory: String, instances: [HostProcess])?
        await #expect(throws: PlannedFailure.self) {
            try await withHost(plugins: ["test-redis": ""]) { host in
                let worker = try await host.startInstance(role: "worker")
                // A cached value: a key under the namespace, as plugins leave them.
                let cached = try await host.request("POST", "/api/v1/test/redis/cache?key=k&tag=t", body: Data("v".utf8))
                #expect(cached.status == 204)
                #expect(!RedisKeys.keys(prefix: host.resources.namespace).isEmpty)
                made = (
                    try host.database.name, host.resources.namespace, host.resources.directory,
                    [host.process, worker]
                )
                throw PlannedFailure()
            }
        }
        let resources = try #require(made)
        let databases = try PostgresProbe.strings(
            TestDatabase.serverURL,
            "SELECT count(*) FROM pg_database WHERE datname = '\(resources.database)'"
        )
        #expect(databases == ["0"])
        #expect(RedisKeys.keys(prefix: resources.namespace).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: resources.directory))
        for instance in resources.instances { #expect(!instance.process.isRunning, "image-app \(instance.process.processIdentifier) still runs") }
    }
}
