import Foundation
import Logging

@testable import ImageAppHost

/// The PostgreSQL that the test command starts (scripts/lib/engines.sh), and a database of
/// the tests' own in it.
enum TestDatabase {
    /// The server, as an admin URL (database `postgres`).
    static let serverURL = ProcessInfo.processInfo.environment["IMAGEAPP_TEST_DATABASE_URL"]
        ?? "postgres://postgres@127.0.0.1:54329/postgres"

    /// `imageapp_test`, created on first use.
    static let url: String = {
        let name = "imageapp_test"
        do {
            let admin = try PostgresConnection(url: serverURL)
            if try admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [.text(name)]).rowCount == 0 {
                do {
                    try admin.execute("CREATE DATABASE \(name)")
                } catch let error as PostgresError where error.sqlState == "42P04" || error.sqlState == "23505" {
                    // Another test process created it first.
                }
            }
        } catch {
            fatalError("PostgreSQL for tests is not reachable at \(serverURL): \(error). Run scripts/test, which starts it.")
        }
        var components = URLComponents(string: serverURL)!
        components.path = "/" + name
        return components.string!
    }()

    /// A new, empty database for one test (dropped with ``drop(_:)``).
    static func fresh() throws -> (name: String, url: String) {
        let name = uniqueTable("imageapp_t")
        let admin = try PostgresConnection(url: serverURL)
        try admin.execute("CREATE DATABASE \(name)")
        var components = URLComponents(string: serverURL)!
        components.path = "/" + name
        return (name, components.string!)
    }

    /// Drops a database made by ``fresh()``, closing its connections first.
    static func drop(_ name: String) {
        guard let admin = try? PostgresConnection(url: serverURL) else { return }
        try? admin.execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// A table name no other test uses.
    static func uniqueTable(_ prefix: String = "t") -> String {
        "\(prefix)_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased())"
    }

    static let logger = Logger(label: "tests")
}
