import Foundation

/// The PostgreSQL that the test command starts (scripts/lib/engines.sh), and databases of the tests' own in it.
public enum TestDatabase {
    /// The server, as an admin URL (database `postgres`).
    public static let serverURL =
        ProcessInfo.processInfo.environment["IMAGEAPP_TEST_DATABASE_URL"] ?? "postgres://postgres@127.0.0.1:54329/postgres"

    /// `imageapp_test`, created on first use: for tests that keep apart by table name (``uniqueTable(_:)``).
    public static let url: String = {
        let name = "imageapp_test"
        do {
            let admin = try SQLConnection(url: serverURL)
            if try admin.run("SELECT 1 FROM pg_database WHERE datname = '\(name)'").rows.isEmpty {
                do {
                    try admin.run("CREATE DATABASE \(name)")
                } catch let error as SQLError where error.sqlState == "42P04" || error.sqlState == "23505" {
                    // Another test process created it first.
                }
            }
        } catch {
            fatalError("PostgreSQL for tests is not reachable at \(serverURL): \(error). Run scripts/test, which starts it.")
        }
        return url(of: name)
    }()

    /// A new, empty database for one test (dropped with ``drop(_:)``; `withHost` does both). Its name,
    /// `imageapp_t_` and 12 random hex digits, is also a prefix no other test uses (for Redis keys).
    public static func fresh() throws -> (name: String, url: String) {
        let name = uniqueTable("imageapp_t")
        try SQLConnection(url: serverURL).run("CREATE DATABASE \(name)")
        return (name, url(of: name))
    }

    /// Drops a database made by ``fresh()``, closing its connections first.
    public static func drop(_ name: String) {
        guard let admin = try? SQLConnection(url: serverURL) else { return }
        _ = try? admin.run("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// A table name no other test uses.
    public static func uniqueTable(_ prefix: String = "t") -> String {
        "\(prefix)_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased())"
    }

    private static func url(of database: String) -> String {
        var components = URLComponents(string: serverURL)!
        components.path = "/" + database
        return components.string!
    }
}
