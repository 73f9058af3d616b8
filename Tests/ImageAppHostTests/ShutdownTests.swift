import Foundation
import ImageAppTesting
import Testing

@testable import ImageAppHost

/// SIGTERM with background work in flight: the service group stops the jobs, the consumers, the
/// relay and the subscriber in that order, and the process exits cleanly within the timeout.
@Suite(.timeLimit(.minutes(12)))
struct ShutdownTests {
    /// A job run in progress and an unpublished outbox row when SIGTERM arrives.
    @Test(arguments: ["worker", "all"])
    func sigtermFinishesTheRunningJobAndPublishesTheOutbox(role: String) async throws {
        let events = try EventTests.Setup()
        defer { events.tearDown() }
        let namespace = "test-shutdown-\(UUID().uuidString.prefix(12).lowercased())"
        let config = """
            [host]
            log_level = "info"
            database_url = "\(events.database.url)"
            redis_url = "\(EventTests.redisURL)"
            redis_namespace = "\(namespace)"
            events_stream = "\(events.stream)"
            shutdown_timeout_seconds = 10

            [plugins.test-data]
            enabled = true
            job_interval_ms = 200
            job_sleep_ms = 4000
            """
        let host = try await HostProcess.start(config: config, role: role)
        defer { Task { await host.stop() } }
        let redis = try RedisConnection(url: RedisURL(EventTests.redisURL))
        let lockKey = "\(namespace):job:test-data.ticker"
        defer { _ = try? redis.command("DEL", lockKey) }

        // Catch a run as it starts (the lock appears after the short gap between runs), so
        // most of its 4 s are still ahead when the signal goes; on a loaded machine the steps
        // between can take long, so a run already half over is let go and the next one caught.
        let database = try PostgresConnection(url: events.database.url)
        let eventID = "9\(Int.random(in: 100_000_000...999_999_999))"
        var inserted = false
        var caughtYoung = false
        for _ in 0..<5 where !caughtYoung {
            var sawGap = false
            var running = false
            for _ in 0..<600 where !running {
                let held = try redis.command("GET", lockKey).stringValue != nil
                if !held { sawGap = true }
                running = held && sawGap
                if !running { try await Task.sleep(for: .milliseconds(25)) }
            }
            #expect(running, "never saw a run start")
            let sawStart = ContinuousClock.now
            if !inserted {
                // An event committed by "another process", not yet published.
                try database.query(
                    "INSERT INTO ia_outbox (event_id, type, payload, source, occurred_at) VALUES ($1, 'test.shutdown', '{}', 'test', now())",
                    [.text(eventID)]
                )
                inserted = true
            }
            caughtYoung = ContinuousClock.now - sawStart < .milliseconds(2500)
        }
        #expect(caughtYoung, "never ready to signal within 2.5 s of a run's start")

        let signalledAt = Int64(Date().timeIntervalSince1970 * 1000)
        let clock = ContinuousClock.now
        host.signal(SIGTERM)
        let status = try await host.waitForExit(timeout: .seconds(20))
        let took = ContinuousClock.now - clock
        #expect(status == 0, "exit status \(status); stderr:\n\(host.stderr)")
        #expect(took < .seconds(10), "shutdown took \(took)")
        #expect(took > .seconds(1), "shutdown took \(took): it did not wait for the running job")

        // The run in progress finished (and could still record itself through the database).
        let runs = try database.query("SELECT started_ms, finished_ms FROM test_data_job_runs ORDER BY started_ms")
        let finished = (0..<runs.rowCount).compactMap { runs.int($0, 1) }
        #expect(finished.contains { $0 >= signalledAt }, "no run finished after SIGTERM: \(finished), signalled at \(signalledAt)")

        // The outbox row went out before the process exited.
        #expect(try database.query("SELECT count(*) FROM ia_outbox WHERE published_at IS NULL").int(0, 0) == 0)
        let entries = try redis.command("XRANGE", events.stream, "-", "+")
        let published = StreamConsumer.entryList(entries).map(\.record.id)
        #expect(published.contains(eventID), "stream holds \(published)")

        // Reverse start order: jobs, then the consumers, then the relay, then the subscriber.
        let log = host.stderr
        let order = ["jobs stopped", "event consumer stopped", "event relay stopped", "Redis subscriber stopped"]
        let positions = order.map { log.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil }, "missing stop lines in:\n\(log)")
        let found = positions.compactMap { $0 }
        #expect(found == found.sorted(), "stop lines out of order in:\n\(log)")
        // Plugins stop after the group has ended.
        let groupEnded = log.range(of: role == "worker" ? "worker stopping" : "server stopped; stopping plugins")?.lowerBound
        #expect(groupEnded != nil && found.last.map { $0 < groupEnded! } == true, "plugins stopped too early in:\n\(log)")
    }

    /// A server started by a test process that dies (a crashed suite) shuts down instead of running on.
    @Test func aServerWhoseParentDiesStopsToo() async throws {
        let directory = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let configPath = directory + "/plugins.conf"
        try "[host]\nlog_level = \"warning\"\n".write(toFile: configPath, atomically: true, encoding: .utf8)
        // A parent that starts the server, lets it start its watch, and exits.
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = [
            "-c", #""$0" serve --config "$1" --listen 127.0.0.1:0 >"$2" 2>&1 & echo $!; sleep 2"#, HostProcess.executable, configPath,
            directory + "/server.log",
        ]
        shell.environment = ProcessInfo.processInfo.environment.merging(["IMAGEAPP_EXIT_WITH_PARENT": "1"]) { $1 }
        let output = Pipe()
        shell.standardOutput = output
        try shell.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        shell.waitUntilExit()
        let pid = try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        defer { kill(pid, SIGKILL) }
        // Running: its /proc entry exists and is not a zombie waiting for the new parent to reap it.
        func running() -> Bool {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
            return !(stat.split(separator: ")").last?.trimmingCharacters(in: .whitespaces).hasPrefix("Z") ?? true)
        }
        let stopped = try await eventually(timeout: .seconds(20), interval: .milliseconds(200), { !running() }) { $0 }
        #expect(stopped)
        // It had started (so it stopped for its parent, not for a failure of its own).
        #expect((try? String(contentsOfFile: directory + "/server.log", encoding: .utf8))?.contains("image-app listening on") == true)
    }
}
