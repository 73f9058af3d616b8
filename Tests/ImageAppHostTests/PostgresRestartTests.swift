import Foundation
import ImageAppTesting
import Testing

@testable import ImageAppHost

/// The pool against a PostgreSQL server of its own that the test restarts (the shared test
/// server cannot be restarted under the other tests).
@Suite(.timeLimit(.minutes(12)))
struct PostgresRestartTests {
    /// A throwaway cluster on a free port, run as the postgres user when the tests run as root.
    final class Server {
        let directory: String
        let port: Int
        let bin: String

        init() throws {
            let versions = (try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []
            guard let version = versions.sorted(by: { $0.compare($1, options: .numeric) == .orderedAscending }).last else {
                throw HostProcessError(message: "PostgreSQL is not installed")
            }
            bin = "/usr/lib/postgresql/\(version)/bin"
            directory = try TemporaryDirectory.make()
            // Below Linux's ephemeral range (32768-60999): the tests' own outgoing connections and port-0 listeners
            // take ports from that range, and one of them holding this port would make the restart fail to bind.
            port = Int.random(in: 20_000..<30_000)
            if getuid() == 0 { try run("/usr/bin/chown", ["postgres:postgres", directory], asPostgres: false) }
            try run(bin + "/initdb", ["-D", directory + "/data", "-U", "postgres", "--auth=trust", "-E", "UTF8"])
            try start()
        }

        var url: String { "postgres://postgres@127.0.0.1:\(port)/postgres" }

        func start() throws {
            try run(
                bin + "/pg_ctl",
                [
                    "-D", directory + "/data", "-l", directory + "/log", "-w", "-t", "30", "start",
                    "-o", "-c listen_addresses=127.0.0.1 -c port=\(port) -c unix_socket_directories=\(directory) -c fsync=off",
                ]
            )
        }

        func restart() throws {
            try run(bin + "/pg_ctl", ["-D", directory + "/data", "-m", "fast", "-w", "-t", "30", "stop"])
            try start()
        }

        func stop() {
            try? run(bin + "/pg_ctl", ["-D", directory + "/data", "-m", "immediate", "-w", "stop"])
            try? FileManager.default.removeItem(atPath: directory)
        }

        /// Runs a tool through the shell's `system`: Foundation's Process waits on pipes that the
        /// daemonised postmaster inherits, so it never returns after `pg_ctl start`.
        private func run(_ tool: String, _ arguments: [String], asPostgres: Bool = true) throws {
            let quoted = ([tool] + arguments).map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
            let command = (asPostgres && getuid() == 0 ? "runuser -u postgres -- " : "") + quoted + " </dev/null >/dev/null 2>&1"
            let status = system(command)
            guard status == 0 else {
                throw HostProcessError(message: "\(tool) \(arguments.joined(separator: " ")) failed with \(status)")
            }
        }
    }

    @Test func poolRecoversAfterPostgreSQLRestarts() throws {
        let server = try Server()
        defer { server.stop() }
        let pool = PostgresPool(url: server.url, size: 3, logger: TestDatabase.logger)
        // Fill the pool with idle connections.
        DispatchQueue.concurrentPerform(iterations: 3) { _ in
            _ = try? pool.withConnection { try $0.query("SELECT pg_sleep(0.05)") }
        }
        #expect(pool.idleCount >= 1)

        try server.restart()

        // Every idle connection is dead now; the pool notices before use and reconnects.
        for _ in 0..<6 {
            let answer = try pool.withConnection { try $0.query("SELECT 41 + $1::int", [1]).int(0, 0) }
            #expect(answer == 42)
        }
    }
}
