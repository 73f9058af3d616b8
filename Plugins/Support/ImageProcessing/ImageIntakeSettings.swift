import Foundation
public import ImageAppPlugin
import PluginSupport

/// The settings every plugin that takes image uploads reads the same way (media's, and profiles' with the prefix
/// `avatar_`), so that an avatar and a post image are held to the same rules.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `max_pixels` | `33177600` (33.2 MP, 7680×4320) | the most pixels (width × height of one frame), from the header |
/// | `max_side` | `10000` | the longest side, in pixels, from the header |
/// | `concurrency` | CPU cores | images processed at once |
/// | `queue_length` | `2 ×` concurrency | uploads that may wait for a turn; more get 503 `server_busy` |
/// | `retry_after_seconds` | `2` | `Retry-After` of that 503 |
public struct ImageIntakeSettings: Sendable {
    /// Refused from the header beyond this many pixels: Mastodon's 33.2 MP.
    public var maxPixels = 33_177_600
    /// Refused from the header beyond this many pixels on a side.
    public var maxSide = 10_000
    /// Images processed at once (the ``ProcessingPool``'s threads).
    public var concurrency = ProcessInfo.processInfo.activeProcessorCount
    /// Uploads that may wait for a turn.
    public var queueLength = 2 * ProcessInfo.processInfo.activeProcessorCount
    /// `Retry-After` of the 503 when they may not.
    public var retryAfterSeconds = 2

    /// Reads `<prefix>max_pixels`, `<prefix>max_side`, `<prefix>concurrency`, `<prefix>queue_length` and
    /// `<prefix>retry_after_seconds`.
    ///
    /// - Throws: ``PluginError`` naming the setting and what is wrong with it, so that the host refuses to load.
    public init(host: PluginHost, prefix: String = "") throws(PluginError) {
        maxPixels = try host.intSetting(prefix + "max_pixels", in: 1...268_402_689) ?? maxPixels
        maxSide = try host.intSetting(prefix + "max_side", in: 1...16_383) ?? maxSide
        if let concurrency = try host.intSetting(prefix + "concurrency", in: 1...256) {
            self.concurrency = concurrency
            queueLength = 2 * concurrency
        }
        queueLength = try host.intSetting(prefix + "queue_length", in: 0...10_000) ?? queueLength
        retryAfterSeconds = try host.intSetting(prefix + "retry_after_seconds", in: 1...3_600) ?? retryAfterSeconds
    }

    /// The keys read, with `prefix`: for the plugin's warning about unknown keys.
    public static func keys(prefix: String = "") -> Set<String> {
        Set(["max_pixels", "max_side", "concurrency", "queue_length", "retry_after_seconds"].map { prefix + $0 })
    }
}
