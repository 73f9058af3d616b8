import ImageAppPlugin
import ImageProcessing

/// media: image uploads turned into the variants posts show, through libvips.
///
/// `POST /api/v1/media` takes one image (told by its content, checked by its header before any pixel is decoded),
/// makes a 1080 px and a 640 px variant (orientation applied, sRGB, every metadata field but the ICC profile removed)
/// and a blurhash, stores them through the host's blob storage, and answers the shared media shape.
/// `PATCH /api/v1/media/{id}` edits the alt text. Media that no post attaches within `unattached_ttl_seconds` is
/// deleted by a job. Other plugins use the commands and queries of `MediaContract` (docs/PLUGINS.md, "Media"), among them
/// `media.ingest`, the upload's pipeline for a file another plugin received.
///
/// The plugin owns the table `media`. Images are processed on its own threads (``ImageIntake``'s pool), at most
/// `concurrency` at once with `queue_length` waiting; beyond that an upload is answered 503 `server_busy`.
struct MediaPlugin: Sendable {
    let host: PluginHost
    let settings: MediaSettings
    /// Checks uploads, processes them with libvips (initialised once per process with the settings' bounds) on the
    /// plugin's threads, and stores the variants.
    let images: ImageIntake

    static func initialize(_ registrar: PluginRegistrar) throws {
        let host = registrar.host
        let settings = try MediaSettings(host: host)
        let images: ImageIntake
        do {
            let pipeline = try ImagePipeline(
                threads: settings.vipsThreads,
                cacheMaxOperations: settings.vipsCacheMaxOperations,
                cacheMaxBytes: settings.vipsCacheMaxBytes
            )
            images = try ImageIntake(host: host, settings: settings.intake, pipeline: pipeline, field: "file", threadName: "media")
        } catch {
            // Refuse to load rather than refuse every upload later: `check-config` reports it.
            throw PluginError(status: .unavailable, message: "cannot process uploads: \(error)")
        }
        let plugin = MediaPlugin(host: host, settings: settings, images: images)

        try plugin.registerMigrations(registrar)
        try plugin.registerCommands(registrar)
        try plugin.registerIngest(registrar)
        try plugin.registerEventHandlers(registrar)
        try plugin.registerCleanup(registrar)
        try plugin.registerUploadRoute(registrar)
        try plugin.registerAltRoute(registrar)
    }
}
