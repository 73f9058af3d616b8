/// A header value with parameters, as in `Content-Type` and `Content-Disposition`:
/// `form-data; name="avatar"; filename="me.png"` (RFC 9110 §5.6.6, with RFC 7578's quoted strings). Hand-written:
/// MultipartKit hands over header values as text and leaves their parameters to the caller.
struct HeaderValue: Hashable, Sendable {
    /// The part before the first `;`, trimmed and lower-cased (`multipart/form-data`, `form-data`).
    var value: String
    /// Parameters by lower-cased name; values unquoted. The first of a repeated name wins.
    var parameters: [String: String]

    /// Parses `text`; `nil` when a quoted string is not closed or a parameter has no name.
    init?(parsing text: String) {
        var scanner = Scanner(Array(text.utf8))
        value = String(decoding: scanner.take { $0 != .semicolon }, as: UTF8.self).trimmingWhitespace().lowercased()
        parameters = [:]
        while scanner.skip(.semicolon) {
            scanner.skipSpaces()
            if scanner.isAtEnd { break }  // a trailing ";" is harmless
            let name = String(decoding: scanner.take { $0 != .equals && $0 != .semicolon }, as: UTF8.self)
                .trimmingWhitespace().lowercased()
            guard !name.isEmpty, scanner.skip(.equals) else { return nil }
            scanner.skipSpaces()
            let parameter: String
            if scanner.skip(.quote) {
                guard let quoted = scanner.takeQuoted() else { return nil }
                parameter = String(decoding: quoted, as: UTF8.self)  // kept exactly: spaces may be meant
            } else {
                parameter = String(String(decoding: scanner.take { $0 != .semicolon }, as: UTF8.self).trimmingWhitespace())
            }
            if parameters[name] == nil {
                parameters[name] = parameter
            }
            scanner.skipSpaces()
        }
    }
}

/// A cursor over the bytes of a header value.
private struct Scanner {
    let bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { position >= bytes.count }

    /// Takes bytes while `predicate` holds.
    mutating func take(while predicate: (UInt8) -> Bool) -> ArraySlice<UInt8> {
        let start = position
        while position < bytes.count, predicate(bytes[position]) { position += 1 }
        return bytes[start..<position]
    }

    /// Skips `byte` if it is next.
    mutating func skip(_ byte: UInt8) -> Bool {
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    mutating func skipSpaces() {
        _ = take { $0 == .space || $0 == .tab }
    }

    /// The rest of a quoted string whose opening quote was skipped, with `\x` unescaped; `nil` when it is not closed.
    mutating func takeQuoted() -> [UInt8]? {
        var result: [UInt8] = []
        while position < bytes.count {
            let byte = bytes[position]
            position += 1
            switch byte {
            case .quote:
                return result
            case .backslash where position < bytes.count:
                result.append(bytes[position])
                position += 1
            default:
                result.append(byte)
            }
        }
        return nil
    }
}

extension UInt8 {
    fileprivate static let semicolon = UInt8(ascii: ";")
    fileprivate static let equals = UInt8(ascii: "=")
    fileprivate static let quote = UInt8(ascii: "\"")
    fileprivate static let backslash = UInt8(ascii: "\\")
    fileprivate static let space = UInt8(ascii: " ")
    fileprivate static let tab = UInt8(ascii: "\t")
}
