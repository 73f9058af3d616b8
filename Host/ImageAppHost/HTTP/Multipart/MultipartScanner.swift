/// A byte-by-byte pass over a multipart body, run on each chunk before MultipartKit's `MultipartParser` sees it.
///
/// It does two things the parser's callbacks cannot:
///
/// - **Guard a crash.** MultipartKit 4.7.1 looks each byte of a part's header *name* up in a 128-entry table without
///   checking that the byte is ASCII: a byte from 0x80 up reads past the table and traps, which would take the host
///   down with one request. The parser reads header names only after a delimiter `--BOUNDARY` followed by CRLF, and
///   after each header line's CRLF; this pass follows every `--BOUNDARY` CRLF (a superset of the delimiters the
///   parser recognises) through the header lines after it exactly as far as the parser could, and reports a name byte
///   outside ASCII. No valid body has one: names are ASCII tokens. Walks that start where another is still going on
///   reach the same state at the same byte, so one walk state is enough and the pass is linear.
/// - **See the end.** The parser ignores everything after the closing delimiter `CRLF--BOUNDARY--` but does not say it
///   got there; the pass notes a closing delimiter that is not inside part headers.
struct MultipartScanner {
    /// How far the header walk is.
    private enum Walk {
        /// Not in part headers.
        case none
        /// In a header name, `length` bytes so far.
        case name(length: Int)
        /// In a header value.
        case value
        /// After a value's CR: LF goes on to the next header line.
        case valueCR
    }

    private var delimiter: Matcher
    private var closing: Matcher
    /// Bytes of CRLF still expected after a `--BOUNDARY` before a walk starts (0: none pending).
    private var afterDelimiter = 0
    /// Whether the last byte completed `CRLF--BOUNDARY` outside part headers.
    private var closingMatched = false
    private var walk = Walk.none

    /// Whether a closing delimiter has been seen: the parser ignores the rest.
    private(set) var isClosed = false

    init(boundary: [UInt8]) {
        delimiter = Matcher(Array("--".utf8) + boundary)
        closing = Matcher(Array("\r\n--".utf8) + boundary)
    }

    /// Scans the next bytes of the body. Returns false when a header name the parser could read has a byte from 0x80.
    mutating func scan(_ bytes: UnsafeRawBufferPointer) -> Bool {
        for byte in bytes {
            if closingMatched, byte == UInt8(ascii: "-") { isClosed = true }
            closingMatched = false
            // The parser ignores the epilogue, so whatever it holds is harmless.
            if isClosed { return true }

            // The walk first: its state depends on the bytes before this one.
            switch walk {
            case .none: break
            case .name(let length):
                if byte == .cr {
                    walk = .none  // An empty line ends the headers; a name without ':' makes the parser throw.
                } else if byte == .colon, length > 0 {
                    walk = .value
                } else if byte >= 0x80 {
                    return false
                } else {
                    walk = .name(length: length + 1)
                }
            case .value:
                if byte == .cr { walk = .valueCR }
            case .valueCR:
                walk = byte == .lf ? .name(length: 0) : .none
            }

            switch afterDelimiter {
            case 2: afterDelimiter = byte == .cr ? 1 : 0
            case 1:
                afterDelimiter = 0
                if byte == .lf { walk = .name(length: 0) }
            default: break
            }
            if delimiter.next(byte) { afterDelimiter = 2 }
            if closing.next(byte), case .none = walk { closingMatched = true }
        }
        return true
    }

    /// Knuth–Morris–Pratt matching of one pattern over a stream.
    private struct Matcher {
        let pattern: [UInt8]
        /// For each prefix of `pattern`, the length of its longest proper prefix that is also a suffix.
        let failure: [Int]
        var matched = 0

        init(_ pattern: [UInt8]) {
            self.pattern = pattern
            var table = [Int](repeating: 0, count: pattern.count)
            var length = 0
            for index in pattern.indices.dropFirst() {
                while length > 0, pattern[index] != pattern[length] { length = table[length - 1] }
                if pattern[index] == pattern[length] { length += 1 }
                table[index] = length
            }
            failure = table
        }

        /// Feeds one byte; true when it completes an occurrence.
        mutating func next(_ byte: UInt8) -> Bool {
            while matched > 0, byte != pattern[matched] { matched = failure[matched - 1] }
            if byte == pattern[matched] { matched += 1 }
            guard matched == pattern.count else { return false }
            matched = failure[matched - 1]
            return true
        }
    }
}

extension UInt8 {
    fileprivate static let cr = UInt8(ascii: "\r")
    fileprivate static let lf = UInt8(ascii: "\n")
    fileprivate static let colon = UInt8(ascii: ":")
}
