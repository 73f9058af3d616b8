/// The four TOML string forms. Text without escapes is copied straight from the input bytes,
/// which are valid UTF-8 because they come from a Swift `String`.
extension TOMLParser {
    /// `"..."`: escapes allowed, no newline, no control characters other than tab.
    mutating func parseBasicString() throws(TOMLSyntaxError) -> String {
        pos += 1
        var buffer: [UInt8] = []
        var segmentStart = pos
        while true {
            guard let byte = peek() else {
                throw failure("unterminated string: expected a closing '\"' before the end of the file")
            }
            switch byte {
            case ASCII.quote:
                buffer.append(contentsOf: bytes[segmentStart..<pos])
                pos += 1
                return String(decoding: buffer, as: UTF8.self)
            case ASCII.backslash:
                buffer.append(contentsOf: bytes[segmentStart..<pos])
                try parseEscape(into: &buffer)
                segmentStart = pos
            case ASCII.newline, ASCII.carriageReturn:
                throw failure("unterminated string: expected a closing '\"' before the end of the line")
            default:
                if Self.isControl(byte) { throw controlInString() }
                pos += 1
            }
        }
    }

    /// `'...'`: taken verbatim; no newline, no control characters other than tab.
    mutating func parseLiteralString() throws(TOMLSyntaxError) -> String {
        pos += 1
        let start = pos
        while true {
            guard let byte = peek() else {
                throw failure("unterminated string: expected a closing \"'\" before the end of the file")
            }
            switch byte {
            case ASCII.apostrophe:
                let text = String(decoding: bytes[start..<pos], as: UTF8.self)
                pos += 1
                return text
            case ASCII.newline, ASCII.carriageReturn:
                throw failure("unterminated string: expected a closing \"'\" before the end of the line")
            default:
                if Self.isControl(byte) { throw controlInString() }
                pos += 1
            }
        }
    }

    /// `"""..."""`: escapes, newlines (CRLF stored as LF), a newline right after the opening
    /// delimiter trimmed, a line-ending backslash trimming the following whitespace and newlines,
    /// and up to two quotes right before the closing delimiter.
    mutating func parseMultiLineBasicString() throws(TOMLSyntaxError) -> String {
        let open = mark
        pos += 3
        try skipNewlineAfterOpeningDelimiter()
        var buffer: [UInt8] = []
        var segmentStart = pos
        while true {
            guard let byte = peek() else { throw unterminatedMultiLine(open: open, delimiter: "\"\"\"") }
            switch byte {
            case ASCII.quote:
                let run = quoteRun(of: ASCII.quote)
                if run >= 3 {
                    guard run <= 5 else {
                        throw failure("too many quotes at the end of a multi-line string; escape them with \\\"")
                    }
                    // Quotes beyond the closing three belong to the content.
                    buffer.append(contentsOf: bytes[segmentStart..<(pos + run - 3)])
                    pos += run
                    return String(decoding: buffer, as: UTF8.self)
                }
                pos += run
            case ASCII.backslash:
                buffer.append(contentsOf: bytes[segmentStart..<pos])
                if try !skipLineEndingBackslash() { try parseEscape(into: &buffer) }
                segmentStart = pos
            case ASCII.newline:
                try consumeNewline()
            case ASCII.carriageReturn:
                // Store CRLF as LF; a lone CR is an error in consumeNewline.
                buffer.append(contentsOf: bytes[segmentStart..<pos])
                try consumeNewline()
                buffer.append(ASCII.newline)
                segmentStart = pos
            default:
                if Self.isControl(byte) { throw controlInString() }
                pos += 1
            }
        }
    }

    /// `'''...'''`: verbatim, newlines (CRLF stored as LF), leading newline trimmed, up to two
    /// apostrophes right before the closing delimiter.
    mutating func parseMultiLineLiteralString() throws(TOMLSyntaxError) -> String {
        let open = mark
        pos += 3
        try skipNewlineAfterOpeningDelimiter()
        var buffer: [UInt8] = []
        var segmentStart = pos
        while true {
            guard let byte = peek() else { throw unterminatedMultiLine(open: open, delimiter: "'''") }
            switch byte {
            case ASCII.apostrophe:
                let run = quoteRun(of: ASCII.apostrophe)
                if run >= 3 {
                    guard run <= 5 else {
                        throw failure("too many apostrophes at the end of a multi-line literal string")
                    }
                    buffer.append(contentsOf: bytes[segmentStart..<(pos + run - 3)])
                    pos += run
                    return String(decoding: buffer, as: UTF8.self)
                }
                pos += run
            case ASCII.newline:
                try consumeNewline()
            case ASCII.carriageReturn:
                buffer.append(contentsOf: bytes[segmentStart..<pos])
                try consumeNewline()
                buffer.append(ASCII.newline)
                segmentStart = pos
            default:
                if Self.isControl(byte) { throw controlInString() }
                pos += 1
            }
        }
    }

    // MARK: Helpers

    /// Decodes the escape sequence at `pos` (a backslash) and appends its UTF-8 bytes.
    private mutating func parseEscape(into buffer: inout [UInt8]) throws(TOMLSyntaxError) {
        let start = mark
        guard let code = peek(1) else {
            throw failure("unterminated string: expected a closing '\"' before the end of the file")
        }
        let simple: UInt8?
        switch code {
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "r"): simple = 0x0D
        case ASCII.quote: simple = ASCII.quote
        case ASCII.backslash: simple = ASCII.backslash
        case UInt8(ascii: "u"), UInt8(ascii: "U"): simple = nil
        default:
            pos += 1
            let shown = code == ASCII.newline || code == ASCII.carriageReturn ? "a newline" : describeCurrent()
            throw failure("invalid escape sequence: a backslash followed by \(shown)", at: start)
        }
        if let simple {
            buffer.append(simple)
            pos += 2
            return
        }
        let count = code == UInt8(ascii: "u") ? 4 : 8
        var value: UInt32 = 0
        for offset in 0..<count {
            // At most 8 hex digits, so the value always fits in UInt32.
            guard let digit = peek(2 + offset).flatMap(Self.hexValue) else {
                throw failure(
                    "invalid escape sequence: \\\(Character(Unicode.Scalar(code))) needs \(count) hexadecimal digits",
                    at: start
                )
            }
            value = value << 4 | UInt32(digit)
        }
        guard let scalar = Unicode.Scalar(value) else {
            throw failure(
                "invalid escape sequence: \(Self.hex(value)) is not a Unicode scalar value (surrogate or out of range)",
                at: start
            )
        }
        buffer.append(contentsOf: String(Character(scalar)).utf8)
        pos += 2 + count
    }

    /// In a multi-line basic string, a backslash followed by optional whitespace and a newline
    /// trims all whitespace and newlines after it. Returns false (consuming nothing) otherwise.
    private mutating func skipLineEndingBackslash() throws(TOMLSyntaxError) -> Bool {
        var offset = 1
        while let byte = peek(offset), byte == ASCII.space || byte == ASCII.tab { offset += 1 }
        guard let byte = peek(offset),
            byte == ASCII.newline || (byte == ASCII.carriageReturn && peek(offset + 1) == ASCII.newline)
        else { return false }
        pos += offset
        while let next = peek() {
            switch next {
            case ASCII.space, ASCII.tab: pos += 1
            case ASCII.newline, ASCII.carriageReturn: try consumeNewline()
            default: return true
            }
        }
        return true
    }

    /// Trims the newline (LF or CRLF) immediately after an opening `"""` or `'''`.
    private mutating func skipNewlineAfterOpeningDelimiter() throws(TOMLSyntaxError) {
        if peek() == ASCII.newline || peek() == ASCII.carriageReturn { try consumeNewline() }
    }

    /// How many `quote` bytes follow in a row from `pos`.
    private mutating func quoteRun(of quote: UInt8) -> Int {
        var count = 0
        while peek(count) == quote { count += 1 }
        return count
    }

    private func controlInString() -> TOMLSyntaxError {
        let escape = "\\u" + Self.hex(UInt32(byte(at: pos) ?? 0)).dropFirst(2)
        return failure("a string cannot contain \(describeCurrent()); in a basic string, write it as \(escape)")
    }

    private func unterminatedMultiLine(open: Mark, delimiter: String) -> TOMLSyntaxError {
        failure("unterminated multi-line string: no closing \(delimiter) for the one opened here", at: open)
    }

    /// The value of a hexadecimal digit byte.
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case ASCII.zero...ASCII.nine: byte - ASCII.zero
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }
}
