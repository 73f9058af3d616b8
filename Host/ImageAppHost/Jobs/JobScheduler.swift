import CImageAppPlugin
import Dispatch
import Foundation
import Logging
import Metrics
import Synchronization

/// Periodic jobs: each runs in one process at a time across every instance.
///
/// A run starts when a process takes the job's Redis lock (`SET key token NX PX lease`). While
/// the job runs, the lock is renewed every third of the lease; when it ends, the lock's expiry
/// is set to what is left of the interval, so the next run — by whichever instance — starts one
/// interval after this one started. A crashed holder stops renewing, and its lock expires
/// within a lease. Locks are compared by token (a Lua script), so a process never extends or
/// shortens a lock it lost.
///
/// `@unchecked Sendable`: jobs are registered during `init`; the threads start afterwards.
final class JobScheduler: @unchecked Sendable {
    struct Job: @unchecked Sendable {
        // @unchecked: `userData` is the plugin's, usable from any thread per the ABI.
        let plugin: PluginContext
        let name: String
        let intervalMilliseconds: Int64
        let function: ia_job_fn
        let userData: UnsafeMutableRawPointer?

        var fullName: String { "\(plugin.name).\(name)" }
    }

    private(set) var jobs: [Job] = []
    var logger = Logger(label: "image-app.jobs")
    private let stopping = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private var threads = 0

    static let renewScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end"

    func add(_ job: Job) -> Result<Void, RegistrationError> {
        guard PluginSection.isValidName(job.name) else {
            return .failure(.invalid("job name '\(job.name)' must be 1-64 characters of a-z, 0-9 and '-'"))
        }
        guard job.intervalMilliseconds >= 100 else {
            return .failure(.invalid("job '\(job.fullName)' has interval \(job.intervalMilliseconds) ms; the minimum is 100"))
        }
        if jobs.contains(where: { $0.fullName == job.fullName }) {
            return .failure(.conflict("job '\(job.fullName)' is registered twice"))
        }
        jobs.append(job)
        return .success(())
    }

    /// Starts one thread per job.
    func start(redis: RedisPool?, namespace: String, leaseSeconds: Double) {
        guard !jobs.isEmpty else { return }
        guard let redis else {
            logger.error("jobs are registered but host.redis_url is not set; they will not run", metadata: ["jobs": "\(jobs.map(\.fullName))"])
            return
        }
        for job in jobs {
            threads += 1
            let thread = Thread { [self] in
                loop(job, redis: redis, key: "\(namespace):job:\(job.fullName)", leaseMilliseconds: Int64(leaseSeconds * 1000))
                finished.signal()
            }
            thread.name = "image-app job \(job.fullName)"
            thread.start()
        }
    }

    func stop() {
        guard !stopping.exchange(true, ordering: .relaxed) else { return }
        for _ in 0..<threads { _ = finished.wait(timeout: .now() + .seconds(30)) }
    }

    // MARK: Running

    private func loop(_ job: Job, redis: RedisPool, key: String, leaseMilliseconds: Int64) {
        let token = "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UUID().uuidString)"
        while !stopping.load(ordering: .relaxed) {
            var waitMilliseconds: Int64 = min(job.intervalMilliseconds, 250)
            do {
                let acquired = try redis.withConnection { connection in
                    try connection.command("SET", key, token, "NX", "PX", String(leaseMilliseconds))
                }
                if acquired == .status("OK") {
                    run(job, redis: redis, key: key, token: token, leaseMilliseconds: leaseMilliseconds)
                } else if let left = try redis.withConnection({ try $0.command("PTTL", key) }).int, left > 0 {
                    waitMilliseconds = min(left, 250)
                }
            } catch {
                logger.warning("job lock unavailable; will retry", metadata: ["job": "\(job.fullName)", "error": "\(error)"])
                waitMilliseconds = 1000
            }
            sleep(milliseconds: waitMilliseconds)
        }
    }

    private func run(_ job: Job, redis: RedisPool, key: String, token: String, leaseMilliseconds: Int64) {
        let started = Date()
        // Keep the lock while the job runs, however long that takes.
        let renewal = DispatchSource.makeTimerSource(queue: .global())
        renewal.schedule(deadline: .now() + .milliseconds(Int(leaseMilliseconds / 3)), repeating: .milliseconds(Int(leaseMilliseconds / 3)))
        renewal.setEventHandler {
            _ = try? redis.withConnection { try $0.command("EVAL", Self.renewScript, "1", key, token, String(leaseMilliseconds)) }
        }
        renewal.resume()

        let arena = CStringArena()
        var runInfo = ia_job_run()
        runInfo.struct_size = SizedStruct.size(of: ia_job_run.self)
        runInfo.job = arena.view(job.fullName)
        runInfo.started_at_ms = Int64(started.timeIntervalSince1970 * 1000)
        runInfo.interval_ms = job.intervalMilliseconds
        var error = ia_error()
        error.struct_size = SizedStruct.size(of: ia_error.self)
        let status = withExtendedLifetime(arena) { job.function(job.userData, &runInfo, &error) }
        renewal.cancel()

        let elapsed = Int64(Date().timeIntervalSince(started) * 1000)
        let remaining = max(1, job.intervalMilliseconds - elapsed)
        _ = try? redis.withConnection { try $0.command("EVAL", Self.renewScript, "1", key, token, String(remaining)) }
        let outcome = status == IA_OK ? "ok" : "failed"
        Counter(label: "imageapp_job_runs_total", dimensions: [("job", job.fullName), ("outcome", outcome)]).increment()
        if status != IA_OK {
            logger.error("job failed", metadata: ["job": "\(job.fullName)", "status": "\(status)", "error": "\(ErrorBuffer.message(of: &error))"])
        }
    }

    private func sleep(milliseconds: Int64) {
        Thread.sleep(forTimeInterval: Double(max(1, milliseconds)) / 1000)
    }
}
