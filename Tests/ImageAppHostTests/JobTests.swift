import Foundation
import ImageAppTesting
import Testing

@testable import ImageAppHost

/// Periodic jobs across instances, with the test-data fixture's "ticker" job.
@Suite(.timeLimit(.minutes(12)))
struct JobTests {
    struct Setup {
        let database: (name: String, url: String)
        let namespace = "test-jobs-\(UUID().uuidString.prefix(12).lowercased())"

        init() throws { database = try TestDatabase.fresh() }

        func config(interval: Int, sleep: Int, lease: Double = 30) -> String {
            """
            [host]
            log_level = "warning"
            database_url = "\(database.url)"
            redis_url = "\(EventTests.redisURL)"
            redis_namespace = "\(namespace)"
            job_lease_seconds = \(lease)

            [plugins.test-data]
            enabled = true
            job_interval_ms = \(interval)
            job_sleep_ms = \(sleep)
            """
        }

        /// (pid, started, finished) of each recorded run, by start time.
        func runs() throws -> [(pid: Int32, started: Int64, finished: Int64)] {
            let connection = try PostgresConnection(url: database.url)
            let rows = try connection.query("SELECT pid, started_ms, finished_ms FROM test_data_job_runs ORDER BY started_ms")
            return (0..<rows.rowCount).map { (Int32(rows.int($0, 0) ?? 0), rows.int($0, 1) ?? 0, rows.int($0, 2) ?? 0) }
        }

        func tearDown() {
            TestDatabase.drop(database.name)
            if let url = try? RedisURL(EventTests.redisURL), let redis = try? RedisConnection(url: url) {
                _ = try? redis.command("DEL", "\(namespace):job:test-data.ticker")
            }
        }
    }

    @Test func aJobRunsOnceAtATimeAcrossInstances() async throws {
        let setup = try Setup()
        defer { setup.tearDown() }
        let hosts = try await [
            HostProcess.start(config: setup.config(interval: 400, sleep: 150), role: "worker"),
            HostProcess.start(config: setup.config(interval: 400, sleep: 150), role: "worker"),
        ]
        try await Task.sleep(for: .seconds(3))
        for host in hosts { await host.stop() }
        let runs = try setup.runs()
        // One run per 400 ms interval, not one per instance: no more runs than intervals fit
        // between the first start and the last finish (two instances without the lock would
        // make about twice as many).
        let span = (runs.last?.finished ?? 0) - (runs.first?.started ?? 0)
        #expect(runs.count >= 3, "runs: \(runs.count)")
        #expect(Int64(runs.count) <= span / 400 + 1, "\(runs.count) runs in \(span) ms")
        // Never two at once.
        for (earlier, later) in zip(runs, runs.dropFirst()) {
            #expect(later.started >= earlier.finished, "overlapping runs: \(earlier) and \(later)")
        }
    }

    @Test func aCrashedHoldersLockExpires() async throws {
        let setup = try Setup()
        defer { setup.tearDown() }
        let config = setup.config(interval: 200, sleep: 2000, lease: 1)
        let first = try await HostProcess.start(config: config, role: "worker")
        let second = try await HostProcess.start(config: config, role: "worker")
        defer {
            Task {
                await first.stop()
                await second.stop()
            }
        }
        // Find the holder through the lock's token ("host:pid:uuid") and kill it mid-run.
        let redis = try RedisConnection(url: RedisURL(EventTests.redisURL))
        let holder = try await eventually(interval: .milliseconds(100)) { () throws -> Int32? in
            try redis.command("GET", "\(setup.namespace):job:test-data.ticker").stringValue
                .flatMap { $0.split(separator: ":").dropFirst().first.flatMap { Int32($0) } }
        }
        let hosts = [first, second]
        let victim = try #require(hosts.first { $0.process.processIdentifier == holder })
        let survivor = try #require(hosts.first { $0.process.processIdentifier != holder })
        // Under load the holder may have finished runs already; none may follow the kill.
        let holderRunsBefore = try setup.runs().filter { $0.pid == holder }.count
        victim.signal(SIGKILL)
        // The lease (1 s) runs out; the survivor takes over and completes a run (2 s).
        let runs = try await eventually(interval: .milliseconds(100), { try setup.runs() }) {
            $0.contains { $0.pid == survivor.process.processIdentifier }
        }
        #expect(runs.contains { $0.pid == survivor.process.processIdentifier })
        #expect(runs.filter { $0.pid == holder }.count == holderRunsBefore)
    }
}
