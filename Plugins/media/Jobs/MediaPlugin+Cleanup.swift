import ImageAppPlugin
import MediaContract

extension MediaPlugin {
    /// The job that deletes media no post attached within `unattached_ttl_seconds`: rows in batches of up to 500
    /// (at most 20 batches a run), blobs after each batch commits, through ``MediaEvent/deleted``.
    func registerCleanup(_ registrar: PluginRegistrar) throws {
        let ttl = settings.unattachedTTLSeconds
        try registrar.job("purge-unattached", every: .milliseconds(settings.cleanupIntervalMilliseconds)) { [host] _ in
            for _ in 0..<20 {
                let deleted = try host.dispatchCommand("media.purge_unattached", payload: PurgeInput(olderThanSeconds: ttl), as: DeletedMedia.self)
                if deleted.mediaIds.count < 500 { break }
            }
        }
    }
}
