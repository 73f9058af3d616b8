/// Refuses table headers that would crash the TOML parser.
///
/// toml++ (bundled by TOMLKit) asserts — and aborts the process, even in release builds —
/// when a table header starts with a character that cannot start a key (`[=]`, `[.a]`,
/// `[ = 1`). A typo in plugins.conf must be an error message, not a crash, so this scanner
/// finds every table header (a `[` that starts a statement outside strings and values) and
/// checks its first character before the text reaches the parser.
enum TableHeaderGuard {
    /// The 1-based line and a message for the first bad header, or nil.
    static func check(_ text: String) -> (line: Int, message: String)? {
        let bytes = Array(text.utf8)
        var index = 0
        var line = 1
        var depth = 0  // nesting of [ ] and { } inside a value
        var atStatementStart = true

        func at(_ offset: Int) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }
        func startsWith(_ marker: [UInt8]) -> Bool {
            index + marker.count <= bytes.count && Array(bytes[index..<index + marker.count]) == marker
        }
        /// Skips a string starting at `index`; counts the newlines inside it.
        func skipString() {
            let quote = bytes[index]
            let triple = startsWith([quote, quote, quote])
            index += triple ? 3 : 1
            while index < bytes.count {
                let byte = bytes[index]
                if byte == 0x0A {
                    line += 1
                    if !triple { return }  // unterminated: the parser will report it
                }
                if quote == 0x22, byte == 0x5C {  // backslash escape in a basic string
                    index += 2
                    continue
                }
                if byte == quote {
                    if !triple {
                        index += 1
                        return
                    }
                    if startsWith([quote, quote, quote]) {
                        index += 3
                        while index < bytes.count, bytes[index] == quote { index += 1 }  // up to two extra quotes
                        return
                    }
                }
                index += 1
            }
        }

        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case 0x0A:
                line += 1
                if depth == 0 { atStatementStart = true }
                index += 1
            case 0x20, 0x09, 0x0D:
                index += 1
            case 0x23:  // comment to end of line
                while index < bytes.count, bytes[index] != 0x0A { index += 1 }
            case 0x22, 0x27:
                skipString()
                atStatementStart = false
            case 0x5B where depth == 0 && atStatementStart:
                var cursor = index + 1
                if cursor < bytes.count, bytes[cursor] == 0x5B { cursor += 1 }
                while cursor < bytes.count, bytes[cursor] == 0x20 || bytes[cursor] == 0x09 { cursor += 1 }
                guard cursor < bytes.count else { return nil }
                let first = bytes[cursor]
                let isKeyStart = (first >= 0x41 && first <= 0x5A) || (first >= 0x61 && first <= 0x7A)
                    || (first >= 0x30 && first <= 0x39) || first == 0x5F || first == 0x2D || first == 0x22
                    || first == 0x27 || first == 0x5D
                if !isKeyStart {
                    return (line, "invalid table header: a table name must start with a letter, digit, '_', '-' or a quote")
                }
                atStatementStart = false
                // Skip to the end of the header line: names may hold quoted strings.
                index = cursor
                while index < bytes.count, bytes[index] != 0x0A {
                    if bytes[index] == 0x22 || bytes[index] == 0x27 { skipString() } else { index += 1 }
                }
            case 0x5B, 0x7B:
                depth += 1
                atStatementStart = false
                index += 1
            case 0x5D, 0x7D:
                depth = max(0, depth - 1)
                index += 1
            default:
                atStatementStart = false
                index += 1
            }
        }
        return nil
    }
}
