/// Finds the line of a table or key in the configuration text.
///
/// The TOML library reports positions for syntax errors only, so semantic errors ("worker_threads
/// must be positive") would lose their line. This scans the text for `[table]` headers and
/// `key =` lines — enough to point an operator at the right place.
struct ConfigSourceMap: Sendable {
    private var tableLines: [String: Int] = [:]
    private var keyLines: [String: Int] = [:]
    /// Table names in the order they appear.
    private(set) var tableOrder: [String] = []

    init(text: String) {
        var table = ""
        for (index, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.trimmingWhitespace()
            let number = index + 1
            if line.hasPrefix("[") && !line.hasPrefix("[[") {
                guard let close = line.firstIndex(of: "]") else { continue }
                table = Self.normalize(line[line.index(after: line.startIndex)..<close])
                if tableLines[table] == nil {
                    tableLines[table] = number
                    tableOrder.append(table)
                }
            } else if let equals = line.firstIndex(of: "="), !line.hasPrefix("#") {
                let key = Self.normalize(line[..<equals])
                let path = table.isEmpty ? key : table + "." + key
                if keyLines[path] == nil { keyLines[path] = number }
            }
        }
    }

    /// The line of `key` in `table` (dotted), or of the table header when the key is absent.
    func line(table: String, key: String? = nil) -> Int? {
        guard let key else { return tableLines[table] }
        let path = table.isEmpty ? key : table + "." + key
        // A key may also be written as a table of its own ([plugins.x] for key x of "plugins").
        return keyLines[path] ?? tableLines[path] ?? tableLines[table]
    }

    /// Removes quotes and spaces around dotted components: `plugins."example-c"` → `plugins.example-c`.
    private static func normalize(_ text: Substring) -> String {
        text.split(separator: ".").map { component in
            var part = component.trimmingWhitespace()
            if part.count >= 2, let first = part.first, first == "\"" || first == "'", part.last == first {
                part = part.dropFirst().dropLast()
            }
            return String(part)
        }.joined(separator: ".")
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
