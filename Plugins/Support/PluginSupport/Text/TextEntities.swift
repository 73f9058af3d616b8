import Foundation

/// The hashtags and mentions in a caption or a comment, found the way people read them.
///
/// - A **hashtag** is `#` followed by letters, combining marks, digits and `_` of any script (`#café`, `#日本`,
///   `#a_b`), with at least one letter (`#1` is a number, not a tag), at most ``maxHashtagScalars`` long. It is
///   stored in Unicode normal form C and lowercased, so `#Café` and `#cafe\u{301}` are one tag.
/// - A **mention** is `@` followed by 3–30 of `[A-Za-z0-9_]` (a handle's characters), lowercased for lookup.
///
/// Either must start the text or follow a character that cannot be part of a word (a space, punctuation), so that
/// `a@b.com` and `x#y` are not entities, and nothing inside a URL (`https://example.com/#top`, `www.x.org/@me`)
/// is one. Each entity is listed once, in the order of its first appearance.
public enum TextEntities {
    /// The longest hashtag, in Unicode scalars.
    public static let maxHashtagScalars = 100

    /// The distinct hashtags of `text`: NFC, lowercased, in order of first appearance.
    public static func hashtags(in text: String) -> [String] {
        var found: [String] = []
        var seen: Set<String> = []
        forEachWord(in: text) { word in
            var scalars = word.startIndex
            while let sign = word[scalars...].firstIndex(where: { $0 == "#" || $0 == "＃" }) {
                let start = word.index(after: sign)
                let end = word[start...].firstIndex(where: { !isTagScalar($0) }) ?? word.endIndex
                defer { scalars = end > start ? end : start }
                guard sign == word.startIndex || !isWordScalar(word[word.index(before: sign)]) else { continue }
                let body = word[start..<end]
                guard !body.isEmpty, body.count <= maxHashtagScalars, body.contains(where: { $0.properties.isAlphabetic })
                else { continue }
                let tag = String(String.UnicodeScalarView(body)).precomposedStringWithCanonicalMapping.lowercased()
                if seen.insert(tag).inserted { found.append(tag) }
            }
        }
        return found
    }

    /// The hashtag `text` is as a whole (without its `#`), as stored; `nil` when it is not one: for a tag from a URL.
    public static func hashtag(_ text: some StringProtocol) -> String? {
        let scalars = text.unicodeScalars
        guard !scalars.isEmpty, scalars.count <= maxHashtagScalars, scalars.allSatisfy(isTagScalar),
            scalars.contains(where: { $0.properties.isAlphabetic })
        else { return nil }
        return String(text).precomposedStringWithCanonicalMapping.lowercased()
    }

    /// The distinct handles mentioned in `text`, lowercased, in order of first appearance.
    public static func mentions(in text: String) -> [String] {
        var found: [String] = []
        var seen: Set<String> = []
        forEachWord(in: text) { word in
            var scalars = word.startIndex
            while let sign = word[scalars...].firstIndex(of: "@") {
                let start = word.index(after: sign)
                let end = word[start...].firstIndex(where: { !isHandleScalar($0) }) ?? word.endIndex
                defer { scalars = end > start ? end : start }
                guard sign == word.startIndex || !isWordScalar(word[word.index(before: sign)]) else { continue }
                // `@ann@example.org` (an address elsewhere) is not a local mention.
                guard end == word.endIndex || word[end] != "@" else { continue }
                let handle = word[start..<end]
                guard (3...30).contains(handle.count) else { continue }
                let lowered = String(String.UnicodeScalarView(handle)).lowercased()
                if seen.insert(lowered).inserted { found.append(lowered) }
            }
        }
        return found
    }

    /// Calls `body` with each whitespace-separated word of `text` that is not a URL, as Unicode scalars.
    private static func forEachWord(in text: String, _ body: (Substring.UnicodeScalarView) -> Void) {
        for word in text.unicodeScalars.split(whereSeparator: { $0.properties.isWhitespace }) {
            let lowered = String(String.UnicodeScalarView(word)).lowercased()
            if lowered.contains("://") || lowered.hasPrefix("www.") || lowered.contains(".www.") { continue }
            body(Substring.UnicodeScalarView(word))
        }
    }

    /// Letters, marks, digits and `_`: what a hashtag is made of.
    private static func isTagScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "_" { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber:
            return true
        default:
            return false
        }
    }

    /// What may come right before `#` or `@` inside a word and make it part of the word instead (`x#y`, `a@b`).
    private static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        isTagScalar(scalar) || scalar == "&" || scalar == "/" || scalar == "@"
    }

    /// `[A-Za-z0-9_]`.
    private static func isHandleScalar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_": true
        default: false
        }
    }
}
