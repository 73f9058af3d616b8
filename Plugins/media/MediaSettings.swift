import Foundation
import ImageAppPlugin
import ImageProcessing
import PluginSupport

/// The `[plugins.media]` settings, read and checked once in `initialize`.
///
/// | key | default | meaning |
/// |---|---|---|
/// | `max_bytes` | `16777216` (16 MiB) | the largest upload, 1 byte to 64 MiB |
/// | `max_pixels`, `max_side` | `33177600`, `10000` | the most pixels and the longest side, from the header |
/// | `concurrency`, `queue_length`, `retry_after_seconds` | CPU cores, `2 ×` that, `2` | see ``ImageIntakeSettings`` |
/// | `large_size`, `small_size` | `1080`, `640` | long sides of the variants (`url`, `preview_url`); never upscaled |
/// | `format` | `"webp"` | `"webp"` or `"jpeg"` |
/// | `quality` | `80` | encoder quality, 1–100 |
/// | `webp_effort` | `4` | WebP encoder effort, 0 (fastest) to 6 |
/// | `keep_original` | `false` | also store the upload as sent (never served through the API) |
/// | `vips_threads` | `1` | libvips threads per image |
/// | `vips_cache_max_operations`, `vips_cache_max_mb` | `0`, `0` | libvips' operation cache (uploads never repeat) |
/// | `unattached_ttl_seconds` | `86400` | media no post attached by then is deleted |
/// | `cleanup_interval_seconds` | `600` | how often the job looks for it |
struct MediaSettings: Sendable {
    var maxBytes = 16 * 1024 * 1024
    /// The limits and the processing pool's size, read like profiles' avatar settings.
    var intake: ImageIntakeSettings
    var processing = ProcessingOptions()
    var keepOriginal = false
    var vipsThreads = 1
    var vipsCacheMaxOperations = 0
    var vipsCacheMaxBytes = 0
    var unattachedTTLSeconds = 86_400
    var cleanupIntervalMilliseconds = 600_000

    /// Room for the multipart framing and the `alt` part, added to `max_bytes` for the route's body limit.
    static let multipartOverheadBytes = 64 * 1024

    /// The body limit of `POST /api/v1/media`.
    var bodyLimit: Int { maxBytes + Self.multipartOverheadBytes }

    /// Reads the settings from the host.
    ///
    /// - Throws: ``PluginError`` naming the setting and what is wrong with it, so that the host refuses to load.
    init(host: PluginHost) throws(PluginError) {
        func int(_ key: String, _ value: inout Int, _ range: ClosedRange<Int>) throws(PluginError) {
            value = try host.intSetting(key, in: range) ?? value
        }
        intake = try ImageIntakeSettings(host: host)
        try int("max_bytes", &maxBytes, 1...(64 * 1024 * 1024))
        try int("large_size", &processing.largeSize, 16...4096)
        try int("small_size", &processing.smallSize, 16...4096)
        try int("quality", &processing.quality, 1...100)
        try int("webp_effort", &processing.webpEffort, 0...6)
        try int("vips_threads", &vipsThreads, 1...64)
        try int("vips_cache_max_operations", &vipsCacheMaxOperations, 0...10_000)
        var cacheMB = 0
        try int("vips_cache_max_mb", &cacheMB, 0...65_536)
        vipsCacheMaxBytes = cacheMB * 1024 * 1024
        try int("unattached_ttl_seconds", &unattachedTTLSeconds, 1...(365 * 86_400))
        var interval = 600
        try int("cleanup_interval_seconds", &interval, 1...86_400)
        cleanupIntervalMilliseconds = interval * 1000
        if let milliseconds = try host.intSetting("cleanup_interval_ms") {
            // Tests only: the job at sub-second intervals.
            guard (100...86_400_000).contains(milliseconds) else {
                throw PluginError(status: .invalidArgument, message: "setting 'cleanup_interval_ms' must be from 100 to 86400000")
            }
            cleanupIntervalMilliseconds = milliseconds
        }
        keepOriginal = try host.boolSetting("keep_original") ?? false
        switch try host.setting("format") ?? "webp" {
        case "webp": processing.format = .webp
        case "jpeg", "jpg": processing.format = .jpeg
        case let other:
            throw PluginError(status: .invalidArgument, message: "setting 'format' must be \"webp\" or \"jpeg\", got \"\(other)\"")
        }
        guard processing.smallSize <= processing.largeSize else {
            throw PluginError(status: .invalidArgument, message: "setting 'small_size' must not be larger than 'large_size'")
        }
        warnAboutUnknownKeys(host)
    }

    private static let knownKeys: Set<String> = ImageIntakeSettings.keys().union([
        "max_bytes", "large_size", "small_size", "format", "quality", "webp_effort", "keep_original", "vips_threads",
        "vips_cache_max_operations", "vips_cache_max_mb", "unattached_ttl_seconds", "cleanup_interval_seconds",
        "cleanup_interval_ms", "enabled", "library",
    ])

    private func warnAboutUnknownKeys(_ host: PluginHost) {
        guard let json = try? host.settingsJSON(),
            let section = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        else { return }
        for key in section.keys.sorted() where !Self.knownKeys.contains(key) {
            host.log(.warning, "ignoring unknown setting '\(key)' (known: \(Self.knownKeys.sorted().joined(separator: ", ")))")
        }
    }
}
