import PluginSupport

/// The rules for what a profile may say: PluginSupport's ``TextRule``s (lengths in Unicode code points as sent, as
/// JSON Schema's `maxLength` counts them, and in normal form C as stored; no control or invisible formatting
/// characters; no stacks of combining marks), which also write the OpenAPI document's schemas, so clients can check a
/// form before sending it.
enum ProfileRules {
    /// Display names: one line of at most 50 characters.
    static let displayNameRule = TextRule.displayName
    /// Bios: at most 500 characters; line breaks and tabs allowed.
    static let bioRule = TextRule(maxScalars: 500, multiline: true)

    typealias Problem = TextRule.Problem

    /// A display name as stored: NFC, trimmed, and `nil` (none) when nothing visible is left.
    static func displayName(_ raw: String) -> Result<String?, Problem> {
        displayNameRule.check(raw).map { checked in
            let name = checked.trimmingWhitespace()
            return isBlank(name) ? nil : name
        }
    }

    /// A display name from another plugin (`user.registered`), made to fit rather than refused; `nil` when nothing
    /// is left.
    static func displayNameFitting(_ raw: String?) -> String? {
        guard let raw else { return nil }
        let name = displayNameRule.fitted(raw.trimmingWhitespace()).trimmingWhitespace()
        return isBlank(name) ? nil : name
    }

    /// A bio as stored: NFC, with `\r\n` line breaks made `\n`, trimmed (possibly empty).
    static func bio(_ raw: String) -> Result<String, Problem> {
        bioRule.check(raw).map { $0.trimmingWhitespace() }
    }

    /// Whether nothing in `text` would show: only whitespace and default-ignorable characters (zero-width space,
    /// joiners, variation selectors…), or nothing at all.
    private static func isBlank(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.properties.isWhitespace || $0.properties.isDefaultIgnorableCodePoint }
    }
}
