import PluginSupport

/// What a comment's body may be, and whom it mentions: one ``TextRule`` (which also writes the OpenAPI schema) plus
/// the rules a text rule does not have — not blank, a limit on mentions.
struct CommentRules: Hashable, Sendable {
    /// Bodies: at most `max_body_characters`; line breaks and tabs allowed.
    let bodyRule: TextRule
    /// The most distinct mentions in a body.
    let maxMentions: Int

    init(settings: CommentsSettings) {
        bodyRule = TextRule(maxScalars: settings.maxBodyCharacters, multiline: true)
        maxMentions = settings.maxMentions
    }

    /// A body checked: stored form (NFC, without leading and trailing whitespace) and the handles it mentions.
    struct Body: Hashable, Sendable {
        var text: String
        var handles: [String]
    }

    /// Checks `raw`.
    ///
    /// - Returns: the body, or a sentence for `details.body`.
    func body(_ raw: String) -> Result<Body, TextRule.Problem> {
        bodyRule.check(raw).flatMap { checked in
            let scalars = checked.unicodeScalars
            guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
                let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
            else { return .failure(TextRule.Problem("must not be empty")) }
            let text = String(scalars[first...last])
            let handles = TextEntities.mentions(in: text)
            guard handles.count <= maxMentions else { return .failure(TextRule.Problem("must mention at most \(maxMentions) people")) }
            return .success(Body(text: text, handles: handles))
        }
    }

    /// The JSON Schema of `body`: the text rule's, and not blank.
    var bodySchema: String {
        let description =
            "At most \(bodyRule.maxScalars) characters, not blank; line breaks allowed. `@handle` mentions (up to "
            + "\(maxMentions)) are resolved; unknown handles stay plain text."
        return #"{"type":"string","minLength":1,"maxLength":\#(bodyRule.maxScalars),"pattern":"\#(bodyRule.pattern)","#
            + #""not":{"pattern":"^\\s*$"},"description":"\#(description)"}"#
    }
}
