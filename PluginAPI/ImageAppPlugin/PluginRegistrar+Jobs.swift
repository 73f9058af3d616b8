import CImageAppPlugin

// ABI 1.3 periodic jobs (`register_job`).

extension PluginRegistrar {
    /// Registers a periodic job: `handler` runs every `interval`, in **one process at a time across all instances**.
    ///
    /// Jobs run in processes started with `--role worker` or `--role all`, and need `host.redis_url`: a run starts
    /// when a process takes the job's lock in Redis, which it renews while the handler runs, however long that takes.
    /// The next run, by whichever instance, starts `interval` after this one started (or as soon as this one ends, if
    /// it took longer); if the holder dies its lock expires within `host.job_lease_seconds`.
    ///
    /// The handler runs on a host job thread that may block. It reaches the database by dispatching commands through
    /// ``JobRun/host`` (``PluginHost/dispatchCommand(_:payload:)``). A thrown error (its description) is logged and
    /// counted by the host (`imageapp_job_runs_total{job,outcome="failed"}`); the next run comes at the next interval,
    /// so there are no retries.
    ///
    /// ```swift
    /// try registrar.job("purge-sessions", every: .seconds(60)) { run in
    ///     _ = try run.host.dispatchCommand("auth.purge-expired-sessions")
    /// }
    /// ```
    ///
    /// - Parameters:
    ///   - name: Unique within the plugin, 1–64 of `a-z 0-9 -`; the job's full name is `"<plugin>.<name>"`.
    ///   - interval: At least 100 milliseconds, in whole milliseconds (a finer remainder is dropped).
    ///   - handler: Does one run.
    /// - Throws: ``PluginRegistrationError`` when the host refuses it (a taken or invalid name, an interval under
    ///   100 ms) or has no jobs (ABI older than 1.3).
    public func job(
        _ name: String,
        every interval: Duration,
        _ handler: @escaping @Sendable (JobRun) throws -> Void
    ) throws(PluginRegistrationError) {
        guard host.has(\.register_job), let register = host.api.pointee.register_job else {
            throw PluginRegistrationError(kind: .job, name: name, status: .unsupported)
        }
        let userData = CallbackBox(JobHandler(host: host, run: handler), api: host.api).retainedForever()
        let status = name.withIAStr { name in
            var definition = ia_job_def()
            definition.struct_size = PluginABI.structSize(of: ia_job_def.self)
            definition.name = name
            definition.interval_ms = Self.milliseconds(interval)
            definition.user_data = userData
            definition.run = { userData, runPointer, errorBuffer in
                guard let userData, let runPointer else {
                    return ia_error.report(IA_ERR_INVALID_ARGUMENT, "the job got no run", into: errorBuffer)
                }
                let job = CallbackBox<JobHandler>.from(userData).callback
                do {
                    try job.run(JobRun(PluginABI.sizedCopy(of: runPointer), host: job.host))
                    return IA_OK
                } catch {
                    return ia_error.report(error, into: errorBuffer)
                }
            }
            return register(host.handle, &definition)
        }
        // On refusal the box stays allocated: a few bytes, and the plugin is not loaded anyway.
        try PluginRegistrationError.check(status, kind: .job, name: name)
    }

    /// `duration` in whole milliseconds, rounded toward zero and clamped to `Int64`.
    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        guard !overflow else { return seconds < 0 ? .min : .max }
        let (total, sumOverflow) = whole.addingReportingOverflow(attoseconds / 1_000_000_000_000_000)
        guard !sumOverflow else { return seconds < 0 ? .min : .max }
        return total
    }
}

/// What a job trampoline finds behind `user_data`: the handler and the host (the `ia_job_fn` callback is not passed
/// the `ia_host`).
private struct JobHandler {
    let host: PluginHost
    let run: @Sendable (JobRun) throws -> Void
}
