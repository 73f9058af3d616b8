import Dispatch
import Foundation
import ImageAppTesting
import Synchronization
import Testing

@testable import ImageAppHost

/// The libpq wrapper and pool against the real PostgreSQL started by the test command.
@Suite(.timeLimit(.minutes(12)))
struct PostgresTests {
    @Test func parametersTravelSeparatelyFromSQLAndRoundTrip() throws {
        let connection = try PostgresConnection(url: TestDatabase.url)
        let hostile = "'); DROP TABLE users; -- ünïcødé 😀 \"quoted\" \\ back"
        let bytes = (0...255).map(UInt8.init)
        let result = try connection.query(
            "SELECT $1::text, $2::int8, $3::float8, $4::bool, $5::bytea, $6::text IS NULL",
            [.text(hostile), .int(-9_007_199_254_740_993), .double(2.5), .bool(true), .bytes(bytes), .null]
        )
        #expect(result.rowCount == 1)
        #expect(result.string(0, 0) == hostile)
        #expect(result.int(0, 1) == -9_007_199_254_740_993)
        #expect(result.double(0, 2) == 2.5)
        #expect(result.bool(0, 3) == true)
        #expect(result.bytes(0, 4) == bytes)
        #expect(result.bool(0, 5) == true)
        #expect(result.columnIndex("text") == 0)
        #expect(result.isNull(5, 5))
    }

    @Test func serverErrorsCarrySQLStateAndConstraintAndTheConnectionStaysUsable() throws {
        let connection = try PostgresConnection(url: TestDatabase.url)
        let table = TestDatabase.uniqueTable()
        try connection.execute("CREATE TABLE \(table) (id int8 PRIMARY KEY, handle text NOT NULL, CONSTRAINT \(table)_handle UNIQUE (handle))")
        defer { try? connection.execute("DROP TABLE \(table)") }
        try connection.query("INSERT INTO \(table) (id, handle) VALUES ($1, $2)", [1, "ada"])
        #expect {
            try connection.query("INSERT INTO \(table) (id, handle) VALUES ($1, $2)", [2, "ada"])
        } throws: { error in
            guard let error = error as? PostgresError else { return false }
            return error.kind == .server && error.sqlState == "23505" && error.constraint == "\(table)_handle" && !error.isTransient
        }
        #expect(throws: PostgresError.self) { try connection.query("SELEKT 1") }
        let count = try connection.query("SELECT count(*) FROM \(table)")
        #expect(count.int(0, 0) == 1)
        #expect(try connection.query("UPDATE \(table) SET handle = $1", ["grace"]).affectedRows == 1)
    }

    @Test func preparedStatementsSurviveDiscardAndSchemaChanges() throws {
        let connection = try PostgresConnection(url: TestDatabase.url)
        let table = TestDatabase.uniqueTable()
        try connection.execute("CREATE TABLE \(table) (a int)")
        defer { try? connection.execute("DROP TABLE \(table)") }
        for value in 0..<50 { try connection.query("INSERT INTO \(table) (a) VALUES ($1)", [.int(Int64(value))]) }
        #expect(try connection.query("SELECT * FROM \(table) WHERE a < $1", [10]).rowCount == 10)
        // DISCARD ALL drops server-side prepared statements; the cache must notice.
        try connection.execute("DISCARD ALL")
        #expect(try connection.query("SELECT * FROM \(table) WHERE a < $1", [10]).rowCount == 10)
        // A new column changes the result shape of `SELECT *`; the stale plan is replaced.
        try connection.execute("ALTER TABLE \(table) ADD COLUMN b text DEFAULT 'x'")
        let result = try connection.query("SELECT * FROM \(table) WHERE a < $1", [10])
        #expect(result.columnCount == 2)
    }

    @Test func poolNeverOpensMoreThanItsSize() throws {
        let pool = PostgresPool(url: TestDatabase.url, size: 4, logger: TestDatabase.logger)
        let pids = Mutex<Set<Int32>>([])
        let maxInUse = Atomic<Int>(0)
        let failures = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 40) { index in
            do {
                try pool.withConnection { connection in
                    _ = maxInUse.max(pool.inUse, ordering: .relaxed)
                    pids.withLock { _ = $0.insert(connection.backendPID) }
                    let result = try connection.query("SELECT $1::int + 1, pg_sleep(0.01)", [.int(Int64(index))])
                    if result.int(0, 0) != Int64(index + 1) { failures.add(1, ordering: .relaxed) }
                }
            } catch {
                failures.add(1, ordering: .relaxed)
            }
        }
        #expect(failures.load(ordering: .relaxed) == 0)
        #expect(pids.withLock { $0.count } <= 4)
        #expect(maxInUse.load(ordering: .relaxed) <= 4)
        #expect(pool.inUse == 0)
    }

    @Test func poolReplacesAConnectionTheServerKilled() throws {
        let pool = PostgresPool(url: TestDatabase.url, size: 1, logger: TestDatabase.logger)
        let firstPID = try pool.withConnection { $0.backendPID }
        // As after a server restart: the backend behind the idle connection goes away.
        let admin = try PostgresConnection(url: TestDatabase.url)
        try admin.query("SELECT pg_terminate_backend($1::int)", [.int(Int64(firstPID))])
        Thread.sleep(forTimeInterval: 0.2)
        let (secondPID, answer) = try pool.withConnection { connection in
            (connection.backendPID, try connection.query("SELECT 1").int(0, 0))
        }
        #expect(answer == 1)
        #expect(secondPID != firstPID)
    }

    @Test func exhaustedPoolAndUnreachableServerAreClearErrors() throws {
        let pool = PostgresPool(url: TestDatabase.url, size: 1, logger: TestDatabase.logger)
        let holding = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            try? pool.withConnection { _ in
                holding.signal()
                release.wait()
            }
        }
        holding.wait()
        #expect {
            try pool.withConnection(timeout: .milliseconds(200)) { _ in }
        } throws: { error in
            (error as? PostgresError)?.kind == .poolExhausted
        }
        release.signal()

        #expect {
            try PostgresConnection(url: "postgres://postgres@127.0.0.1:1/nothing", connectTimeoutSeconds: 2)
        } throws: { error in
            guard let error = error as? PostgresError else { return false }
            return error.kind == .connection && error.message.contains("cannot connect to PostgreSQL")
        }
    }
}
