@testable import ImageAppHost

/// Reaches into a test's database directly: to check what a plugin stored, or to age a row (expire a token) where
/// waiting for the clock would make a test slow or flaky. Never to set state up that the API could set up.
enum PostgresProbe {
    /// The first column of every row of `sql`, as text (NULL as "").
    static func strings(_ url: String, _ sql: String) throws -> [String] {
        let connection = try PostgresConnection(url: url)
        let result = try connection.query(sql)
        return (0..<result.rowCount).map { result.string($0, 0) ?? "" }
    }

    /// Runs one statement; returns the rows it changed.
    @discardableResult
    static func execute(_ url: String, _ sql: String) throws -> Int {
        try PostgresConnection(url: url).query(sql).affectedRows
    }
}
