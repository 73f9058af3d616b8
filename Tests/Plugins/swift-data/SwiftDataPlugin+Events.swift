import ImageAppPlugin

extension SwiftDataPlugin {
    /// The worker event handler "seen" for `swift.item_added`, and the job "sweep" when the setting
    /// `job_interval_ms` is present.
    func registerEventsAndJobs(_ registrar: PluginRegistrar) throws {
        try registrar.eventHandler("seen", events: "swift.item_added", maxAttempts: 3, seen)
        if let interval = try registrar.host.intSetting("job_interval_ms") {
            try registrar.job("sweep", every: .milliseconds(interval), sweep)
        }
    }

    /// Records the event through `test-swift-data.record-seen`, keyed on the event id so that a second delivery
    /// changes nothing. Items named `poison…` always fail, so they are retried and then dead-lettered.
    private func seen(_ event: Event) throws {
        let item = try event.decodePayload(ItemAdded.self)
        if item.name.hasPrefix("poison") {
            throw PoisonError()
        }
        _ = try host.dispatchCommand(
            "test-swift-data.record-seen",
            payload: SeenInput(eventId: event.id, name: item.name, attempt: event.attempt)
        )
    }

    /// Records the run through `test-swift-data.record-sweep`.
    private func sweep(_ run: JobRun) throws {
        let (seconds, attoseconds) = run.interval.components
        let intervalMs = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        _ = try run.host.dispatchCommand(
            "test-swift-data.record-sweep",
            payload: SweepInput(job: run.job, intervalMs: intervalMs, startedAtMs: run.startedAtMilliseconds)
        )
    }
}

/// What the "seen" handler throws for poison items; its description becomes the delivery's error message.
private struct PoisonError: Error, CustomStringConvertible {
    var description: String { "poison items always fail (test fixture)" }
}
