@testable import ImageAppHost

/// Reads from a test's database directly, to check what a plugin stored (never to set state up).
enum PostgresProbe {
    /// The first column of every row of `sql`, as text (NULL as "").
    static func strings(_ url: String, _ sql: String) throws -> [String] {
        let connection = try PostgresConnection(url: url)
        let result = try connection.query(sql)
        return (0..<result.rowCount).map { result.string($0, 0) ?? "" }
    }
}
