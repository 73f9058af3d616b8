import Foundation
import ImageAppPlugin
import MediaContract
import PluginSupport

/// The rule for alt text: at most ``MediaLimits/altCharacters`` Unicode scalars, line breaks and tabs allowed, no
/// control or invisible formatting characters, no stacks of combining marks; stored in NFC, trimmed, and `nil` when
/// blank. The same ``TextRule`` writes the JSON Schema.
enum MediaRules {
    static let altRule = TextRule(maxScalars: MediaLimits.altCharacters, multiline: true)

    /// The alt text as stored, or what is wrong with it.
    static func alt(_ raw: String?) -> Result<String?, TextRule.Problem> {
        guard let raw else { return .success(nil) }
        return altRule.check(raw).map { checked in
            let trimmed = checked.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? nil : trimmed
        }
    }

    /// The alt text as stored, or the 422 `validation_failed` naming `alt`.
    static func checkedAlt(_ raw: String?) throws(HTTPError) -> String? {
        switch alt(raw) {
        case .success(let checked): return checked
        case .failure(let problem): throw .unprocessable(fields: ["alt": problem.message])
        }
    }
}
