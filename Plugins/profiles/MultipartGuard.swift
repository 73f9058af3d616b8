/// A check run before MultipartKit's `MultipartParser` sees a body, for a crash it has.
///
/// MultipartKit 4.7.1 looks up each byte of a part's header *name* in a 128-entry table of allowed characters
/// (`isAllowedHeaderFieldNameCharacter`) without checking that the byte is ASCII: a byte from 0x80 up indexes past
/// the end and traps, which would take the whole host down with a single request. No valid body has such a header name
/// (names are ASCII tokens), so bodies where one could be read are refused instead.
///
/// The parser reads header names only right after a delimiter `--BOUNDARY` followed by CRLF, and after each header
/// line's CRLF. This scan finds every occurrence of `--BOUNDARY` (a superset of the delimiters the parser recognises)
/// and walks the header lines after it exactly as far as the parser could, in linear time overall: a line start already
/// checked is never checked again.
enum MultipartGuard {
    /// Whether no header name that `MultipartParser` could read in `body` contains a byte outside ASCII.
    ///
    /// - Parameter delimiter: `--` followed by the boundary.
    static func headerNamesAreASCII(_ body: UnsafeRawBufferPointer, delimiter: [UInt8]) -> Bool {
        guard !delimiter.isEmpty else { return true }
        let failure = failureTable(delimiter)
        var matched = 0
        // The last line start a previous walk checked: lines are walked from one CRLF to the next, so a walk starting
        // at or before it would only repeat that walk.
        var checkedUpTo = -1
        for index in body.indices {
            let byte = body[index]
            while matched > 0, byte != delimiter[matched] { matched = failure[matched - 1] }
            if byte == delimiter[matched] { matched += 1 }
            guard matched == delimiter.count else { continue }
            matched = failure[matched - 1]

            // After the delimiter the parser wants CRLF, then header lines.
            let afterDelimiter = index + 1
            guard afterDelimiter + 1 < body.count, body[afterDelimiter] == .cr, body[afterDelimiter + 1] == .lf else {
                continue
            }
            let firstLine = afterDelimiter + 2
            guard firstLine > checkedUpTo else { continue }
            guard let lastLine = lastHeaderLine(in: body, from: firstLine) else { return false }
            checkedUpTo = lastLine
        }
        return true
    }

    /// Walks header lines from `lineStart` while the parser would keep reading them: returns the start of the last
    /// line looked at, or `nil` when a name (the bytes before a line's first `:`) has a non-ASCII byte.
    private static func lastHeaderLine(in body: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var lineStart = start
        while true {
            var position = lineStart
            var inName = true
            while position < body.count, body[position] != .cr {
                if inName {
                    if body[position] == .colon {
                        inName = false
                    } else if body[position] >= 0x80 {
                        return nil
                    }
                }
                position += 1
            }
            // An empty line ends the headers; a line without ':' or CRLF makes the parser throw.
            guard position > lineStart, !inName, position + 1 < body.count, body[position + 1] == .lf else {
                return lineStart
            }
            lineStart = position + 2
        }
    }

    /// The Knuth–Morris–Pratt table: for each prefix of `pattern`, the length of its longest proper prefix that is
    /// also a suffix.
    private static func failureTable(_ pattern: [UInt8]) -> [Int] {
        var table = [Int](repeating: 0, count: pattern.count)
        var length = 0
        for index in pattern.indices.dropFirst() {
            while length > 0, pattern[index] != pattern[length] { length = table[length - 1] }
            if pattern[index] == pattern[length] { length += 1 }
            table[index] = length
        }
        return table
    }
}

extension UInt8 {
    fileprivate static let cr = UInt8(ascii: "\r")
    fileprivate static let lf = UInt8(ascii: "\n")
    fileprivate static let colon = UInt8(ascii: ":")
}
