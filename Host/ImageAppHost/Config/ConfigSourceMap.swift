/// Finds the line of a table or key in the configuration, for messages about values that
/// parse as TOML but break a rule ("worker_threads must be positive").
struct ConfigSourceMap: Sendable {
    private let lines: [[String]: Int]
    /// Table names (dotted) in the order they appear.
    let tableOrder: [String]

    init(document: TOMLDocument) {
        self.lines = document.lines
        self.tableOrder = document.tableOrder.map { $0.joined(separator: ".") }
    }

    /// The line of `key` in `table` (dotted; plugin and key names hold no dots), or of the table
    /// itself when the key is absent.
    func line(table: String, key: String? = nil) -> Int? {
        let tablePath = table.isEmpty ? [] : table.split(separator: ".").map(String.init)
        if let key, let line = lines[tablePath + [key]] { return line }
        return lines[tablePath]
    }
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingWhitespace() -> SubSequence {
        var slice = self[...]
        while let first = slice.first, first == " " || first == "\t" || first == "\r" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" || last == "\r" { slice = slice.dropLast() }
        return slice
    }
}
