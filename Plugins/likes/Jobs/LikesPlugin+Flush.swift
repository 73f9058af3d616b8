import ImageAppPlugin
import PluginCrypto

extension LikesPlugin {
    /// The write-behind job: one worker at a time (the host's job lease) moves the counters' changes to
    /// `like_counts`, at most 20 batches a run.
    func registerFlush(_ registrar: PluginRegistrar) throws {
        try registrar.job("flush", every: .milliseconds(settings.flushIntervalMilliseconds)) { [counter, host] _ in
            for _ in 0..<20 {
                guard let batch = try counter.takeBatch(newID: Base64URL.encode(SecureRandom.bytes(12))) else { return }
                if !batch.deltas.isEmpty {
                    _ = try host.dispatchCommand("likes.apply_flush", payload: FlushBatch(flushId: batch.id, deltas: batch.deltas))
                }
                try counter.finishBatch(batch.id)
            }
        }
    }
}
