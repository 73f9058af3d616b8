import CImageAppPlugin

/// One run of a periodic job registered with ``PluginRegistrar/job(_:every:_:)``: a Swift copy of the host's
/// `ia_job_run`, plus the plugin's host.
public struct JobRun: Sendable {
    /// The job's full name, `"<plugin>.<name>"`.
    public var job: String
    /// When this run started, in milliseconds since 1970 (Unix time, the host's clock): for Foundation,
    /// `Date(timeIntervalSince1970: Double(startedAtMilliseconds) / 1000)`.
    public var startedAtMilliseconds: Int64
    /// The job's interval: the time from one run's start to the next one's.
    public var interval: Duration
    /// The plugin's host — the same as ``PluginRegistrar/host`` — for logging, settings and dispatching commands
    /// (``PluginHost/dispatchCommand(_:payload:)``): a job runs on a host thread that may block.
    public var host: PluginHost

    /// Creates a run, for example to test a job without a running host.
    public init(job: String, startedAtMilliseconds: Int64, interval: Duration, host: PluginHost) {
        self.job = job
        self.startedAtMilliseconds = startedAtMilliseconds
        self.interval = interval
        self.host = host
    }

    /// Copies the host's run; its views live only during the job call.
    init(_ run: ia_job_run, host: PluginHost) {
        self.init(
            job: run.job.string,
            startedAtMilliseconds: run.started_at_ms,
            interval: .milliseconds(run.interval_ms),
            host: host
        )
    }
}
