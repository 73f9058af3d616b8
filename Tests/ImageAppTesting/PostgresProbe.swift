/// Reaches into a test's database directly: to check what a plugin stored, or to age a row (expire a token) where
/// waiting for the clock would make a test slow or flaky. Never to set state up that the API could set up.
public enum PostgresProbe {
    /// The first column of every row of `sql`, as text (NULL as "").
    public static func strings(_ url: String, _ sql: String) throws -> [String] {
        try SQLConnection(url: url).run(sql).rows.map { ($0.first ?? nil) ?? "" }
    }

    /// Runs one statement; returns the rows it changed.
    @discardableResult
    public static func execute(_ url: String, _ sql: String) throws -> Int {
        try SQLConnection(url: url).run(sql).affected
    }
}
