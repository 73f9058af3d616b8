import ImageAppPlugin

extension NotificationsPlugin {
    /// The prune job: one worker at a time (the host's job lease) deletes read notifications older than `keep_days`,
    /// 1,000 a command, at most 100 commands a run (the next run goes on).
    func registerPrune(_ registrar: PluginRegistrar) throws {
        try registrar.job("prune", every: .seconds(settings.pruneIntervalSeconds)) { [host, settings] _ in
            for _ in 0..<100 {
                let pruned = try host.dispatchCommand(
                    "notifications.prune",
                    payload: PruneInput(keepDays: settings.keepDays, limit: 1_000),
                    as: Pruned.self
                )
                if pruned.deleted < 1_000 { return }
            }
        }
    }
}
