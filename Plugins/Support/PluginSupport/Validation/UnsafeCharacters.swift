/// Characters that text people show to each other (names, bios, emails) must not hold: C0 and C1 controls and DEL,
/// the line and paragraph separators, and the invisible format characters that reorder or hide text — the
/// bidirectional embeddings, overrides, isolates and marks (`U+202E` turns `moc.elgoog` into `google.com` on screen),
/// zero-width spaces, word joiners, the byte-order mark, interlinear annotations and the soft hyphen. Such text is
/// refused, not cleaned, so that what was stored is what was sent.
///
/// Kept on purpose: the zero-width joiner (`U+200D`, inside emoji such as 👩🏽‍💻) and non-joiner (`U+200C`, needed by
/// Persian and Indic scripts), variation selectors, and the emoji tag characters (`U+E0020`–`U+E007F`, subdivision
/// flags).
///
/// One explicit table rather than Unicode's general categories: the checks and the JSON Schema patterns in the
/// OpenAPI document are made from it (``patternClass(allowingLineBreaks:)``), so they cannot disagree whatever
/// Unicode version a runtime or a client's regular-expression engine knows.
public enum UnsafeCharacters {
    /// The refused scalars, as inclusive ranges of code points, in ascending order.
    public static let ranges: [ClosedRange<UInt32>] = [
        0x0000...0x001F,  // C0 controls
        0x007F...0x009F,  // DEL, C1 controls (NEL, U+0085, among them)
        0x00AD...0x00AD,  // soft hyphen
        0x061C...0x061C,  // Arabic letter mark
        0x180E...0x180E,  // Mongolian vowel separator
        0x200B...0x200B,  // zero-width space
        0x200E...0x200F,  // left-to-right and right-to-left marks
        0x2028...0x202E,  // line and paragraph separators; bidi embeddings and overrides
        0x2060...0x2064,  // word joiner, invisible operators
        0x2066...0x206F,  // bidi isolates; deprecated format characters
        0xFEFF...0xFEFF,  // byte-order mark, zero-width no-break space
        0xFFF9...0xFFFB,  // interlinear annotation
    ]

    /// Whether `scalar` is refused; with `allowingLineBreaks`, line feed and tab are allowed (multi-line text such as a
    /// bio, where a `\r\n` pair has been made `\n` first).
    public static func isRefused(_ scalar: Unicode.Scalar, allowingLineBreaks: Bool = false) -> Bool {
        if allowingLineBreaks, scalar == "\n" || scalar == "\t" { return false }
        let value = scalar.value
        return ranges.contains { $0.contains(value) }
    }

    /// Whether `text` holds a refused scalar (see ``isRefused(_:allowingLineBreaks:)``).
    public static func occur(in text: some StringProtocol, allowingLineBreaks: Bool = false) -> Bool {
        text.unicodeScalars.contains { isRefused($0, allowingLineBreaks: allowingLineBreaks) }
    }

    /// The body of a regular-expression character class of the refused scalars (`\u0000-\u001f...`), written as JSON
    /// string text (each backslash doubled), for `"pattern": "^[^<class>]*$"` in a JSON Schema. ECMA-262 and Python
    /// read it alike; code points above `U+FFFF` never occur in the table.
    public static func patternClass(allowingLineBreaks: Bool = false) -> String {
        guard allowingLineBreaks else { return patternClass(of: ranges) }
        // Split around tab (0x09) and line feed (0x0A).
        return patternClass(of: ranges.flatMap { $0.contains(0x0A) ? [$0.lowerBound...0x08, 0x0B...$0.upperBound] : [$0] })
    }

    /// The body of a character class of `ranges` (code points up to U+FFFF), as JSON string text.
    static func patternClass(of ranges: [ClosedRange<UInt32>]) -> String {
        ranges.map { span($0.lowerBound, $0.upperBound) }.joined()
    }

    private static func span(_ low: UInt32, _ high: UInt32) -> String {
        low == high ? escape(low) : escape(low) + "-" + escape(high)
    }

    private static func escape(_ value: UInt32) -> String {
        let hex = String(value, radix: 16)
        return "\\\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
