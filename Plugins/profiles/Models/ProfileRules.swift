import PluginSupport

/// The rules for what a profile may say. Lengths are in Unicode code points (a precomposed `é` counts once, `👩🏽‍💻`
/// four times), as JSON Schema's `maxLength` counts them: the OpenAPI document states these rules exactly, so
/// clients can check a form before sending it.
enum ProfileRules {
    /// The longest display name, after trimming.
    static let displayNameMaxCharacters = 50
    /// The longest bio, after trimming.
    static let bioMaxCharacters = 500

    /// A display name as stored: trimmed, and `nil` (none) when nothing visible is left.
    ///
    /// - Returns: The name, or what is wrong with it: longer than 50 characters, or control characters or line breaks
    ///   (a name is one line).
    static func displayName(_ raw: String) -> Result<String?, Problem> {
        // The limit counts the text as sent, as the schema's `maxLength` does; trimming comes after.
        guard raw.unicodeScalars.count <= displayNameMaxCharacters else {
            return .failure(Problem("must be at most \(displayNameMaxCharacters) characters"))
        }
        let name = raw.trimmingWhitespace()
        guard !isBlank(name) else { return .success(nil) }
        guard !name.unicodeScalars.contains(where: isForbiddenInName) else {
            return .failure(Problem("must be one line without control or invisible formatting characters"))
        }
        return .success(name)
    }

    /// A display name from another plugin (`user.registered`), made to fit rather than refused: control characters
    /// dropped, trimmed, cut to 50 code points; `nil` when nothing is left.
    static func displayNameFitting(_ raw: String?) -> String? {
        guard let raw else { return nil }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: raw.unicodeScalars.filter { !isForbiddenInName($0) })
        // Whole characters only, as many as fit in the limit's code points: no half of an emoji or accent.
        var name = ""
        var used = 0
        for character in String(scalars).trimmingWhitespace() {
            used += character.unicodeScalars.count
            guard used <= displayNameMaxCharacters else { break }
            name.append(character)
        }
        name = name.trimmingWhitespace()
        return isBlank(name) ? nil : name
    }

    /// A bio as stored: trimmed, with `\r\n` line breaks made `\n`.
    ///
    /// - Returns: The bio (possibly empty), or what is wrong with it: longer than 500 characters, or control
    ///   characters other than line breaks and tabs.
    static func bio(_ raw: String) -> Result<String, Problem> {
        // "\r\n" is one Character in Swift; compare whole characters so that it is replaced as a pair.
        // The limit counts the text as sent, as the schema's `maxLength` does; trimming comes after.
        guard raw.unicodeScalars.count <= bioMaxCharacters else {
            return .failure(Problem("must be at most \(bioMaxCharacters) characters"))
        }
        let bio = String(raw.map { $0 == "\r\n" ? "\n" : $0 }).trimmingWhitespace()
        guard !UnsafeCharacters.occur(in: bio, allowingLineBreaks: true) else {
            return .failure(Problem("must not contain control or invisible formatting characters other than line breaks and tabs"))
        }
        return .success(bio)
    }

    /// What is wrong with a value, for a 422's `details`.
    struct Problem: Error, Hashable, Sendable {
        /// A phrase that follows the field name: `display_name must be at most 50 characters`.
        var message: String

        init(_ message: String) {
            self.message = message
        }
    }

    /// Whether nothing in `text` would show: only whitespace and default-ignorable characters (zero-width space,
    /// joiners, variation selectors…), or nothing at all.
    private static func isBlank(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.properties.isWhitespace || $0.properties.isDefaultIgnorableCodePoint }
    }

    /// C0 and C1 controls and DEL (general category Cc). NUL in particular: PostgreSQL text cannot hold it.
    private static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control
    }

    /// Controls, line and paragraph separators, and the invisible characters that reorder or hide text (bidi
    /// overrides, zero-width spaces...): ``UnsafeCharacters``.
    private static func isForbiddenInName(_ scalar: Unicode.Scalar) -> Bool {
        UnsafeCharacters.isRefused(scalar)
    }
}
