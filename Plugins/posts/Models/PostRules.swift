import PluginSupport
import PostsContract

/// What a caption may be, and what it says: one ``TextRule`` (which also writes the OpenAPI schema) plus the
/// hashtag and mention limits.
enum PostRules {
    /// Captions: at most 2,200 characters; line breaks and tabs allowed.
    static let captionRule = TextRule(maxScalars: PostsLimits.captionCharacters, multiline: true)

    /// A caption checked: stored form (NFC, trimmed), its hashtags and the handles it mentions.
    struct Caption: Hashable, Sendable {
        var text: String
        var tags: [String]
        var handles: [String]
    }

    /// Checks `raw` (`nil` is an empty caption).
    ///
    /// - Returns: the caption, or a sentence for `details.caption`.
    static func caption(_ raw: String?) -> Result<Caption, TextRule.Problem> {
        captionRule.check(raw ?? "").flatMap { checked in
            let text = checked.trimmingWhitespaceAndNewlines()
            let tags = TextEntities.hashtags(in: text)
            guard tags.count <= PostsLimits.hashtagsPerPost else {
                return .failure(TextRule.Problem("must have at most \(PostsLimits.hashtagsPerPost) hashtags"))
            }
            let handles = TextEntities.mentions(in: text)
            guard handles.count <= PostsLimits.mentionsPerPost else {
                return .failure(TextRule.Problem("must mention at most \(PostsLimits.mentionsPerPost) people"))
            }
            return .success(Caption(text: text, tags: tags, handles: handles))
        }
    }

    /// A tag from a URL (`/api/v1/tags/{tag}/posts`), as stored: without a leading `#`, NFC, lowercased; `nil` when it
    /// could not be a hashtag.
    static func tag(fromPath raw: String) -> String? {
        TextEntities.hashtag(raw.hasPrefix("#") ? raw.dropFirst() : Substring(raw))
    }
}

extension String {
    /// Without leading and trailing whitespace and line breaks.
    func trimmingWhitespaceAndNewlines() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
