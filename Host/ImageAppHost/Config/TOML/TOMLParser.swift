/// A recursive-descent TOML 1.0 parser over the UTF-8 bytes of the text.
///
/// Every failure is a ``TOMLSyntaxError``: nothing here may trap on any input (no force unwraps
/// of input-dependent data, bounds-checked reads, overflow-reporting arithmetic, and nesting capped
/// at ``maxDepth`` so recursion stays bounded). Strings live in `TOMLParser+Strings.swift`,
/// numbers, booleans and dates in `TOMLParser+Numbers.swift`.
struct TOMLParser {
    /// Deepest nesting of tables and arrays accepted. Bounds the parser's recursion and the
    /// recursive conversion (and destruction) of the resulting values, whatever the input.
    static let maxDepth = 128

    /// A position in the text, kept so an error can point at where a construct began.
    struct Mark {
        let index: Int
        let line: Int
        let lineStart: Int
    }

    /// One component of a (possibly dotted) key and where it was written.
    struct KeyPart {
        let name: String
        let mark: Mark
    }

    /// A table under construction. A class because headers, dotted keys and arrays of tables all
    /// reach back into tables created earlier and add to them in place.
    final class Table {
        /// How the table came to exist; decides which later definitions may still add to it.
        enum Origin {
            /// Created only as the parent of a header (`a` for `[a.b]`); `[a]` may still define it.
            case implicit
            /// Defined by a `[header]`, an `[[array]]` element, the root, or an inline table.
            case header
            /// Created by a dotted key; only dotted keys of the same section may extend it.
            case dotted
        }

        var origin: Origin
        /// The section (header block or inline table) that created a dotted table.
        var section: Int
        var entries: [String: Entry] = [:]

        init(origin: Origin, section: Int) {
            self.origin = origin
            self.section = section
        }
    }

    /// The elements of an array of tables (`[[x]]`); a class so a header can append in place.
    final class TableArray {
        var tables: [Table]

        init(_ first: Table) { tables = [first] }
    }

    /// What a key holds while the document is being built. Inline tables and arrays written as
    /// values are plain `.value`s: they are immutable once written.
    enum Entry {
        /// `line`: where the key was written, for "defined more than once" messages.
        case value(ConfigValue, line: Int)
        case table(Table)
        case tableArray(TableArray)
    }

    /// Byte values the grammar cares about.
    enum ASCII {
        static let tab: UInt8 = 0x09
        static let newline: UInt8 = 0x0A
        static let carriageReturn: UInt8 = 0x0D
        static let space: UInt8 = 0x20
        static let quote: UInt8 = 0x22
        static let hash: UInt8 = 0x23
        static let apostrophe: UInt8 = 0x27
        static let plus: UInt8 = 0x2B
        static let comma: UInt8 = 0x2C
        static let minus: UInt8 = 0x2D
        static let dot: UInt8 = 0x2E
        static let zero: UInt8 = 0x30
        static let nine: UInt8 = 0x39
        static let colon: UInt8 = 0x3A
        static let equals: UInt8 = 0x3D
        static let openBracket: UInt8 = 0x5B
        static let backslash: UInt8 = 0x5C
        static let closeBracket: UInt8 = 0x5D
        static let underscore: UInt8 = 0x5F
        static let openBrace: UInt8 = 0x7B
        static let closeBrace: UInt8 = 0x7D
        static let delete: UInt8 = 0x7F
    }

    let bytes: [UInt8]
    /// Index of the next unread byte.
    var pos = 0
    /// 1-based line of `pos`, and the index where that line starts (for columns).
    var line = 1
    var lineStart = 0

    private let root: Table
    /// The table that `key = value` lines currently add to, its path, and its section.
    private var current: Table
    private var currentPath: [String] = []
    private var currentSection = 0
    private var sectionCount = 0

    private var lines: [[String]: Int] = [:]
    /// Paths whose line came from an implicitly created parent table; an explicit header replaces it.
    private var implicitLinePaths: Set<[String]> = []
    private var tableOrder: [[String]] = []
    private var seenHeaders: Set<[String]> = []

    init(text: String) {
        bytes = Array(text.utf8)
        root = Table(origin: .header, section: 0)
        current = root
    }

    // MARK: Document

    /// Parses the whole text.
    mutating func parseDocument() throws(TOMLSyntaxError) -> TOMLDocument {
        // A byte-order mark from a Windows editor is not content.
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
            pos = 3
            lineStart = 3
        }
        // Roughly one key per 20-byte line: sizing `lines` up front saves rehashing paths as it grows.
        lines.reserveCapacity(min(bytes.count / 20 + 1, 1 << 16))
        while true {
            skipWhitespace()
            guard let byte = peek() else { break }
            switch byte {
            case ASCII.hash:
                try skipComment()
            case ASCII.newline, ASCII.carriageReturn:
                try consumeNewline()
            case ASCII.openBracket:
                try parseHeader()
            default:
                try parseKeyValueLine()
            }
        }
        return TOMLDocument(
            root: Self.dictionary(of: root),
            lines: lines,
            tableOrder: tableOrder
        )
    }

    /// `key = value` at the top level or in a `[table]` section, up to the end of the line.
    private mutating func parseKeyValueLine() throws(TOMLSyntaxError) {
        let start = mark
        let key = try parseKey(what: "a key")
        let names = key.map(\.name)
        try expectEquals(after: names)
        let depth = currentPath.count + key.count
        guard depth <= Self.maxDepth else { throw tooDeep(at: start) }
        let value = try parseValue(depth: depth, base: currentPath, names: names)
        try insert(value, key: key, into: current, section: currentSection, basePath: currentPath)
        try expectLineEnd(after: "the value of '\(Self.display(names))'")
    }

    /// Skips the `=` between a key and its value, and the whitespace around it.
    private mutating func expectEquals(after names: [String]) throws(TOMLSyntaxError) {
        skipWhitespace()
        guard peek() == ASCII.equals else {
            throw failure("expected '=' after the key '\(Self.display(names))' but found \(describeCurrent())")
        }
        pos += 1
        skipWhitespace()
    }

    /// After a statement only whitespace, a comment and a newline (or the end) may follow.
    private mutating func expectLineEnd(after what: @autoclosure () -> String) throws(TOMLSyntaxError) {
        skipWhitespace()
        if peek() == ASCII.hash { try skipComment() }
        guard let byte = peek() else { return }
        if byte == ASCII.newline || (byte == ASCII.carriageReturn && peek(1) == ASCII.newline) {
            try consumeNewline()
            return
        }
        throw failure("expected a newline after \(what()) but found \(describeCurrent())")
    }

    // MARK: Headers

    /// `[a.b]` or `[[a.b]]`: makes that table the target of the following key/value lines.
    private mutating func parseHeader() throws(TOMLSyntaxError) {
        let start = mark
        pos += 1
        let isArray = peek() == ASCII.openBracket
        if isArray { pos += 1 }
        let key = try parseKey(what: "a table name")
        guard peek() == ASCII.closeBracket else {
            throw failure("expected ']' to close the table header but found \(describeCurrent())")
        }
        pos += 1
        if isArray {
            guard peek() == ASCII.closeBracket else {
                throw failure("expected ']]' to close the array-of-tables header but found \(describeCurrent())")
            }
            pos += 1
        }
        guard key.count <= Self.maxDepth else { throw tooDeep(at: start) }
        let names = key.map(\.name)

        // Walk to the parent, creating missing tables and entering the last element of arrays of tables.
        var table = root
        for index in names.indices.dropLast() {
            let name = names[index]
            switch table.entries[name] {
            case nil:
                let child = Table(origin: .implicit, section: 0)
                table.entries[name] = .table(child)
                let path = Array(names[0...index])
                if lines[path] == nil {
                    lines[path] = start.line
                    implicitLinePaths.insert(path)
                }
                table = child
            case .table(let child):
                table = child
            case .tableArray(let array):
                guard let last = array.tables.last else { throw failure("internal: empty array of tables", at: start) }
                table = last
            case .value(let value, _):
                throw failure(
                    "cannot define the table '\(Self.display(names))': '\(Self.display(Array(names[0...index])))' is "
                        + Self.valueDescription(value),
                    at: start
                )
            }
        }

        guard let name = names.last else { throw failure("expected a table name", at: start) }
        let target: Table
        if isArray {
            switch table.entries[name] {
            case nil:
                target = Table(origin: .header, section: 0)
                table.entries[name] = .tableArray(TableArray(target))
            case .tableArray(let array):
                target = Table(origin: .header, section: 0)
                array.tables.append(target)
            case .table:
                throw failure(
                    "cannot define the array of tables '\(Self.display(names))': it is already a table",
                    at: start
                )
            case .value(.array, _):
                throw failure(
                    "cannot append to the array '\(Self.display(names))' with [[...]]: it was defined statically as a value",
                    at: start
                )
            case .value(let value, _):
                throw failure(
                    "cannot define the array of tables '\(Self.display(names))': it is already "
                        + Self.valueDescription(value),
                    at: start
                )
            }
        } else {
            switch table.entries[name] {
            case nil:
                target = Table(origin: .header, section: 0)
                table.entries[name] = .table(target)
            case .table(let existing):
                switch existing.origin {
                case .implicit:
                    existing.origin = .header
                    target = existing
                case .header:
                    throw failure("the table '\(Self.display(names))' is defined more than once", at: start)
                case .dotted:
                    throw failure(
                        "cannot define the table '\(Self.display(names))' with a header: it was already created by dotted keys",
                        at: start
                    )
                }
            case .tableArray:
                throw failure(
                    "cannot define the table '\(Self.display(names))': it is already an array of tables",
                    at: start
                )
            case .value(let value, _):
                throw failure(
                    "cannot define the table '\(Self.display(names))': it is already " + Self.valueDescription(value),
                    at: start
                )
            }
        }

        if lines[names] == nil || implicitLinePaths.contains(names) {
            lines[names] = start.line
            implicitLinePaths.remove(names)
        }
        if seenHeaders.insert(names).inserted { tableOrder.append(names) }
        current = target
        currentPath = names
        currentSection = newSection()
        try expectLineEnd(after: "the table header '\(Self.display(names))'")
    }

    /// A fresh section number: dotted tables may only be extended within the section that made them.
    private mutating func newSection() -> Int {
        sectionCount += 1
        return sectionCount
    }

    // MARK: Keys

    /// A bare, quoted or dotted key, with whitespace around the dots; stops after trailing whitespace.
    private mutating func parseKey(what: String) throws(TOMLSyntaxError) -> [KeyPart] {
        var parts: [KeyPart] = []
        while true {
            skipWhitespace()
            let start = mark
            guard let byte = peek() else { throw failure("expected \(what) but found the end of the file") }
            let name: String
            if Self.isBareKeyByte(byte) {
                let first = pos
                while let next = peek(), Self.isBareKeyByte(next) { pos += 1 }
                name = String(decoding: bytes[first..<pos], as: UTF8.self)
            } else if byte == ASCII.quote || byte == ASCII.apostrophe {
                if peek(1) == byte && peek(2) == byte {
                    throw failure("a multi-line string cannot be used as a key")
                }
                name = byte == ASCII.quote ? try parseBasicString() : try parseLiteralString()
            } else {
                throw failure("expected \(what) but found \(describeCurrent())")
            }
            parts.append(KeyPart(name: name, mark: start))
            skipWhitespace()
            guard peek() == ASCII.dot else { return parts }
            pos += 1
        }
    }

    /// Adds `key = value` to `table`, creating the tables of a dotted key and enforcing that keys are
    /// defined once, that header tables are not reopened with dotted keys, and that inline tables
    /// and arrays stay closed. `basePath` is the table's path for `lines`, nil inside arrays.
    private mutating func insert(
        _ value: ConfigValue,
        key: [KeyPart],
        into base: Table,
        section: Int,
        basePath: [String]?
    ) throws(TOMLSyntaxError) {
        var table = base
        var path = basePath ?? []
        for part in key.dropLast() {
            path.append(part.name)
            switch table.entries[part.name] {
            case nil:
                let child = Table(origin: .dotted, section: section)
                table.entries[part.name] = .table(child)
                if basePath != nil { recordLine(part.mark.line, for: path) }
                table = child
            case .table(let child):
                switch child.origin {
                case .dotted where child.section == section:
                    table = child
                case .implicit:
                    // Only a parent of headers so far; the dotted key defines it here (as tomli does).
                    child.origin = .dotted
                    child.section = section
                    table = child
                case .dotted:
                    throw failure(
                        "cannot add to the table '\(Self.display(path))' with dotted keys here: it was created by dotted keys in another section",
                        at: part.mark
                    )
                case .header:
                    throw failure(
                        "cannot add to the table '\(Self.display(path))' with dotted keys: it is defined by a [table] header",
                        at: part.mark
                    )
                }
            case .tableArray:
                throw failure(
                    "cannot add to '\(Self.display(path))' with dotted keys: it is an array of tables",
                    at: part.mark
                )
            case .value(let existing, _):
                throw failure(
                    "cannot use the dotted key '\(Self.display(key.map(\.name)))': '\(Self.display(path))' is already "
                        + Self.valueDescription(existing),
                    at: part.mark
                )
            }
        }
        guard let last = key.last else { return }
        path.append(last.name)
        if let existing = table.entries[last.name] {
            var whereDefined = ""
            if case .value(_, let line) = existing { whereDefined = " (first defined on line \(line))" }
            throw failure("the key '\(Self.display(path))' is defined more than once\(whereDefined)", at: last.mark)
        }
        table.entries[last.name] = .value(value, line: last.mark.line)
        if basePath != nil { recordLine(last.mark.line, for: path) }
    }

    /// Records the line of `path` unless it already has one (keys of later `[[x]]` elements keep
    /// the first). One hash lookup: the `default:` subscript inserts in place.
    private mutating func recordLine(_ line: Int, for path: [String]) {
        func keep(_: inout Int) {}
        keep(&lines[path, default: line])
    }

    // MARK: Values

    /// A value of any kind. `depth` counts the tables and arrays around it. `base + names` is the
    /// value's key path, for recording the lines of keys in inline tables (`base` is nil inside
    /// arrays); it is only joined when the value is an inline table.
    mutating func parseValue(depth: Int, base: [String]?, names: [String]) throws(TOMLSyntaxError) -> ConfigValue {
        guard let byte = peek() else { throw failure("expected a value but found the end of the file") }
        switch byte {
        case ASCII.quote:
            if peek(1) == ASCII.quote && peek(2) == ASCII.quote { return .string(try parseMultiLineBasicString()) }
            return .string(try parseBasicString())
        case ASCII.apostrophe:
            if peek(1) == ASCII.apostrophe && peek(2) == ASCII.apostrophe {
                return .string(try parseMultiLineLiteralString())
            }
            return .string(try parseLiteralString())
        case ASCII.openBracket:
            guard depth < Self.maxDepth else { throw tooDeep(at: mark) }
            return try parseArray(depth: depth + 1)
        case ASCII.openBrace:
            guard depth < Self.maxDepth else { throw tooDeep(at: mark) }
            return try parseInlineTable(depth: depth + 1, linePath: base.map { $0 + names })
        default:
            guard Self.isScalarByte(byte) else { throw failure("expected a value but found \(describeCurrent())") }
            return try parseScalar()
        }
    }

    /// `[ v, v, ]`: any value kinds, newlines and comments allowed, one trailing comma allowed.
    private mutating func parseArray(depth: Int) throws(TOMLSyntaxError) -> ConfigValue {
        let open = mark
        pos += 1
        var items: [ConfigValue] = []
        while true {
            try skipWhitespaceCommentsAndNewlines()
            guard let byte = peek() else { throw unclosed("array", "]", open: open) }
            if byte == ASCII.closeBracket {
                pos += 1
                return .array(items)
            }
            items.append(try parseValue(depth: depth, base: nil, names: []))
            try skipWhitespaceCommentsAndNewlines()
            guard let next = peek() else { throw unclosed("array", "]", open: open) }
            if next == ASCII.comma {
                pos += 1
            } else if next == ASCII.closeBracket {
                pos += 1
                return .array(items)
            } else {
                throw failure("expected ',' or ']' after an array element but found \(describeCurrent())")
            }
        }
    }

    /// `{ k = v, k.k = v }`: on one line, no trailing comma, closed to later additions.
    private mutating func parseInlineTable(depth: Int, linePath: [String]?) throws(TOMLSyntaxError) -> ConfigValue {
        let open = mark
        pos += 1
        let table = Table(origin: .header, section: newSection())
        skipWhitespace()
        if peek() == ASCII.closeBrace {
            pos += 1
            return .table([:])
        }
        while true {
            let start = mark
            let key = try parseKey(what: "a key")
            let names = key.map(\.name)
            try expectEquals(after: names)
            let valueDepth = depth + key.count - 1
            guard valueDepth <= Self.maxDepth else { throw tooDeep(at: start) }
            let value = try parseValue(depth: valueDepth, base: linePath, names: names)
            try insert(value, key: key, into: table, section: table.section, basePath: linePath)
            skipWhitespace()
            guard let byte = peek() else { throw unclosed("inline table", "}", open: open) }
            switch byte {
            case ASCII.comma:
                pos += 1
                skipWhitespace()
                if peek() == ASCII.closeBrace {
                    throw failure("a trailing comma is not allowed in an inline table")
                }
            case ASCII.closeBrace:
                pos += 1
                return .table(Self.dictionary(of: table))
            case ASCII.newline, ASCII.carriageReturn:
                throw failure("an inline table must be on a single line; expected ',' or '}' but found a newline")
            default:
                throw failure("expected ',' or '}' in an inline table but found \(describeCurrent())")
            }
        }
    }

    // MARK: Whitespace, comments, newlines

    /// Skips spaces and tabs.
    mutating func skipWhitespace() {
        while let byte = peek(), byte == ASCII.space || byte == ASCII.tab { pos += 1 }
    }

    /// Skips whitespace, comments and newlines (inside arrays).
    private mutating func skipWhitespaceCommentsAndNewlines() throws(TOMLSyntaxError) {
        while let byte = peek() {
            switch byte {
            case ASCII.space, ASCII.tab: pos += 1
            case ASCII.hash: try skipComment()
            case ASCII.newline, ASCII.carriageReturn: try consumeNewline()
            default: return
            }
        }
    }

    /// Skips a `#` comment up to (not including) the line break; control characters are errors.
    private mutating func skipComment() throws(TOMLSyntaxError) {
        pos += 1
        while let byte = peek() {
            if byte == ASCII.newline || (byte == ASCII.carriageReturn && peek(1) == ASCII.newline) { return }
            if Self.isControl(byte) {
                throw failure("a comment cannot contain \(describeCurrent())")
            }
            pos += 1
        }
    }

    /// Consumes LF or CRLF at `pos` and starts a new line; a lone CR is an error.
    mutating func consumeNewline() throws(TOMLSyntaxError) {
        if peek() == ASCII.carriageReturn {
            guard peek(1) == ASCII.newline else {
                throw failure("a carriage return must be followed by a line feed")
            }
            pos += 1
        }
        pos += 1
        line += 1
        lineStart = pos
    }

    // MARK: Reading bytes

    /// The byte `offset` past `pos`, or nil past the end. `mutating` only so that unoptimized
    /// builds pass the parser by reference instead of copying it for every byte read.
    mutating func peek(_ offset: Int = 0) -> UInt8? {
        let index = pos + offset
        return index >= 0 && index < bytes.count ? bytes[index] : nil
    }

    /// The byte at `index`, or nil outside the text.
    func byte(at index: Int) -> UInt8? {
        index >= 0 && index < bytes.count ? bytes[index] : nil
    }

    /// The current position (`mutating` for the same reason as `peek`).
    var mark: Mark {
        mutating get { Mark(index: pos, line: line, lineStart: lineStart) }
    }

    /// Letters, digits, `_` and `-`.
    static func isBareKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x41...0x5A, 0x61...0x7A, ASCII.zero...ASCII.nine, ASCII.underscore, ASCII.minus: true
        default: false
        }
    }

    /// Bytes that can make up a number, boolean, inf/nan or date-time token.
    static func isScalarByte(_ byte: UInt8) -> Bool {
        isBareKeyByte(byte) || byte == ASCII.plus || byte == ASCII.dot || byte == ASCII.colon
    }

    /// Control characters other than tab (U+0000–U+0008, U+000A–U+001F, U+007F).
    static func isControl(_ byte: UInt8) -> Bool {
        (byte < 0x20 && byte != ASCII.tab) || byte == ASCII.delete
    }

    // MARK: Errors

    /// An error at `mark` (default: the current position).
    func failure(_ message: String, at mark: Mark? = nil) -> TOMLSyntaxError {
        let at = mark ?? Mark(index: pos, line: line, lineStart: lineStart)
        var column = 1
        var index = at.lineStart
        let end = min(at.index, bytes.count)
        while index < end {
            // Count Unicode scalars: every byte that is not a UTF-8 continuation byte starts one.
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return TOMLSyntaxError(line: at.line, column: column, message: message)
    }

    private func tooDeep(at mark: Mark) -> TOMLSyntaxError {
        failure("tables and arrays are nested more than \(Self.maxDepth) levels deep", at: mark)
    }

    private func unclosed(_ what: String, _ closer: String, open: Mark) -> TOMLSyntaxError {
        failure("the \(what) opened on line \(open.line) is missing its closing '\(closer)'")
    }

    /// The character at `pos` for messages: "'='", "a newline", "the end of the file", ...
    func describeCurrent() -> String {
        guard let byte = byte(at: pos) else { return "the end of the file" }
        switch byte {
        case ASCII.newline: return "a newline"
        case ASCII.carriageReturn: return "a carriage return"
        case ASCII.tab: return "a tab"
        case 0: return "a NUL character"
        case _ where Self.isControl(byte): return "the control character \(Self.hex(UInt32(byte)))"
        case ASCII.apostrophe: return "\"'\""
        case ..<0x80: return "'\(Character(Unicode.Scalar(byte)))'"
        default: break
        }
        // Decode the UTF-8 sequence to show the character itself.
        let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : 2
        guard pos + length <= bytes.count else { return "a non-ASCII character" }
        let text = String(decoding: bytes[pos..<(pos + length)], as: UTF8.self)
        return "'\(text)'"
    }

    /// `U+0001`.
    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }

    /// A key path as written in TOML: bare components as-is, others quoted.
    static func display(_ path: [String]) -> String {
        path.map { name in
            if !name.isEmpty, name.utf8.allSatisfy(isBareKeyByte) { return name }
            var quoted = "\""
            for scalar in name.unicodeScalars {
                switch scalar {
                case "\"": quoted += "\\\""
                case "\\": quoted += "\\\\"
                default:
                    if scalar.value < 0x20 || scalar.value == 0x7F {
                        quoted += "\\u" + hex(scalar.value).dropFirst(2)
                    } else {
                        quoted.unicodeScalars.append(scalar)
                    }
                }
            }
            return quoted + "\""
        }.joined(separator: ".")
    }

    /// "an inline table, which cannot be extended", "a string", ...
    private static func valueDescription(_ value: ConfigValue) -> String {
        switch value {
        case .table: "an inline table, which cannot be extended"
        case .array: "an array value, which cannot be extended"
        default: value.typeDescription
        }
    }

    // MARK: Result

    /// The finished table as plain values. Recursion depth is bounded by `maxDepth`.
    private static func dictionary(of table: Table) -> [String: ConfigValue] {
        var result: [String: ConfigValue] = [:]
        result.reserveCapacity(table.entries.count)
        for (name, entry) in table.entries {
            switch entry {
            case .value(let value, _):
                result[name] = value
            case .table(let child):
                result[name] = .table(dictionary(of: child))
            case .tableArray(let array):
                result[name] = .array(array.tables.map { .table(dictionary(of: $0)) })
            }
        }
        return result
    }
}
