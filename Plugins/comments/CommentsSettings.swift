import CommentsContract
import ImageAppPlugin
import PluginSupport

/// The `[plugins.comments]` settings, read and checked once in `initialize`.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `max_body_characters` | `1000` | the longest comment, in Unicode scalars (1 to 10,000) |
/// | `max_mentions` | `20` | the most distinct `@handles` in one comment (0 to 100) |
struct CommentsSettings: Sendable {
    var maxBodyCharacters = CommentsLimits.bodyCharacters
    var maxMentions = CommentsLimits.mentionsPerComment

    /// Reads the settings from the host.
    ///
    /// - Throws: ``PluginError`` naming the setting and what is wrong with it, so that the host refuses to load.
    init(host: PluginHost) throws(PluginError) {
        maxBodyCharacters = try host.intSetting("max_body_characters", in: 1...10_000) ?? maxBodyCharacters
        maxMentions = try host.intSetting("max_mentions", in: 0...100) ?? maxMentions
        host.warnAboutUnknownSettings(known: ["max_body_characters", "max_mentions"])
    }
}
