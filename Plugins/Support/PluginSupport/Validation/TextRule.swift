import Foundation

/// The rule for a field of text that people write for others to read (display names, bios): one piece of code for
/// the check and for the JSON Schema that documents it, so that the two say the same.
///
/// Text is refused when it has more than ``maxScalars`` Unicode scalars as sent (what JSON Schema's `maxLength`
/// counts: a letter with a hundred combining marks is a hundred and one, not one character), holds a character of
/// ``UnsafeCharacters`` (line feeds and tabs allowed in ``multiline`` text, where `\r\n` counts as a line feed), or
/// stacks more than ``CombiningMarks/maxRun`` combining marks in a row. It is stored in Unicode normalization form C
/// (NFC: `e` + `◌́` becomes `é`), which must fit the same scalar limit and ``maxUTF8Bytes`` — normalization shortens
/// text but for a few compatibility characters that it spells out (U+FB2C, U+0344...).
public struct TextRule: Hashable, Sendable {
    /// The most Unicode scalars, as sent and as stored.
    public var maxScalars: Int
    /// The most UTF-8 bytes as stored.
    public var maxUTF8Bytes: Int
    /// Whether line feeds (or `\r\n` pairs, stored as `\n`) and tabs are allowed.
    public var multiline: Bool

    /// A rule of `maxScalars` scalars and `maxUTF8Bytes` bytes (by default 4 per scalar: every scalar fits).
    public init(maxScalars: Int, maxUTF8Bytes: Int? = nil, multiline: Bool = false) {
        self.maxScalars = maxScalars
        self.maxUTF8Bytes = maxUTF8Bytes ?? maxScalars * 4
        self.multiline = multiline
    }

    /// A display name: one line of at most 50 characters (auth takes one at sign-up, profiles keeps it).
    public static let displayName = TextRule(maxScalars: 50)

    /// What is wrong with a value, as the phrase after the field's name in a 422's `details`.
    public struct Problem: Error, Hashable, Sendable {
        public var message: String

        public init(_ message: String) {
            self.message = message
        }
    }

    /// The text as it is to be stored (NFC; `\r\n` made `\n` in multi-line text), or what is wrong with it.
    public func check(_ text: String) -> Result<String, Problem> {
        guard text.unicodeScalars.count <= maxScalars else { return .failure(Problem("must be at most \(maxScalars) characters")) }
        // "\r\n" is one Character in Swift; compare whole characters so that it is replaced as a pair.
        let lines = multiline ? String(text.map { $0 == "\r\n" ? "\n" : $0 }) : text
        guard !UnsafeCharacters.occur(in: lines, allowingLineBreaks: multiline) else {
            return .failure(
                Problem(
                    multiline
                        ? "must not contain control or invisible formatting characters other than line breaks and tabs"
                        : "must be one line without control or invisible formatting characters"
                )
            )
        }
        let stacked = Problem("must not stack more than \(CombiningMarks.maxRun) combining marks on one character")
        guard CombiningMarks.longestRun(in: lines) <= CombiningMarks.maxRun else { return .failure(stacked) }
        let stored = lines.precomposedStringWithCanonicalMapping
        guard stored.unicodeScalars.count <= maxScalars, stored.utf8.count <= maxUTF8Bytes else {
            return .failure(Problem("must be at most \(maxScalars) characters and \(maxUTF8Bytes) bytes in Unicode normal form C"))
        }
        guard CombiningMarks.longestRun(in: stored) <= CombiningMarks.maxRun else { return .failure(stacked) }
        return .success(stored)
    }

    /// `text` made to fit rather than refused (for text another plugin already accepted under older rules): refused
    /// characters dropped, marks beyond ``CombiningMarks/maxRun`` in a row dropped, NFC, then cut after the last whole
    /// character that fits.
    public func fitted(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var run = 0
        for scalar in (multiline ? String(text.map { $0 == "\r\n" ? "\n" : $0 }) : text).unicodeScalars {
            guard !UnsafeCharacters.isRefused(scalar, allowingLineBreaks: multiline) else { continue }
            run = CombiningMarks.contains(scalar) ? run + 1 : 0
            if run <= CombiningMarks.maxRun { scalars.append(scalar) }
        }
        var fitted = ""
        var (count, bytes) = (0, 0)
        for character in String(scalars).precomposedStringWithCanonicalMapping {
            count += character.unicodeScalars.count
            bytes += character.utf8.count
            guard count <= maxScalars, bytes <= maxUTF8Bytes else { break }
            fitted.append(character)
        }
        return fitted
    }

    /// The JSON Schema `pattern` of the rule's characters and mark runs, as JSON string text: runs of at most
    /// ``CombiningMarks/maxRun`` marks, each after another character or at the start.
    public var pattern: String {
        let marks = CombiningMarks.patternClass()
        let refused = UnsafeCharacters.patternClass(allowingLineBreaks: multiline)
        let other = multiline ? #"(?:[^\#(marks)\#(refused)]|\\r\\n)"# : "[^\(marks)\(refused)]"
        let run = "[\(marks)]{0,\(CombiningMarks.maxRun)}"
        return "^\(run)(?:\(other)\(run))*$"
    }

    /// The JSON Schema of a field under this rule (`null` allowed with `nullable`), with `description`.
    public func schema(nullable: Bool = true, description: String) -> String {
        let type = nullable ? #"["string","null"]"# : #""string""#
        return #"{"type":\#(type),"maxLength":\#(maxScalars),"pattern":"\#(pattern)","description":"\#(description)"}"#
    }
}
