import CImageAppPlugin
import Dispatch
import Foundation
import Logging
import Metrics
import ServiceLifecycle

/// Periodic jobs: each runs in one process at a time across every instance.
///
/// A run starts when a process takes the job's Redis lock (`SET key token NX PX lease`). While
/// the job runs, the lock is renewed every third of the lease; when it ends, the lock's expiry
/// is set to what is left of the interval, so the next run — by whichever instance — starts one
/// interval after this one started. A crashed holder stops renewing, and its lock expires
/// within a lease. Locks are compared by token (a Lua script), so a process never extends or
/// shortens a lock it lost.
///
/// A `Service` with one thread per job (``BlockingLoop``): the job's function is plugin code
/// that may block for as long as it likes. On graceful shutdown no new run starts; a run in
/// progress finishes, and its lock is shortened as usual, before `run()` returns.
final class JobScheduler: Service, Sendable {
    /// `@unchecked Sendable`: `function` and `userData` are the plugin's, which the ABI requires
    /// to be callable from any thread for the life of the process; the rest is immutable.
    struct Job: @unchecked Sendable {
        let plugin: PluginContext
        let name: String
        let intervalMilliseconds: Int64
        let function: ia_job_fn
        let userData: UnsafeMutableRawPointer?

        var fullName: String { "\(plugin.name).\(name)" }
    }

    let jobs: [Job]
    private let redis: RedisPool
    private let namespace: String
    private let leaseMilliseconds: Int64
    private let logger: Logger

    static let renewScript = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end"

    init(jobs: [Job], redis: RedisPool, namespace: String, leaseSeconds: Double, logger: Logger) {
        self.jobs = jobs
        self.redis = redis
        self.namespace = namespace
        self.leaseMilliseconds = Int64(leaseSeconds * 1000)
        self.logger = logger
    }

    /// Adds `job` to `jobs` (registration during `init`) or explains the refusal.
    static func add(_ job: Job, to jobs: inout [Job]) -> Result<Void, RegistrationError> {
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

    /// Runs every job's loop on its own thread until graceful shutdown.
    func run() async {
        await withTaskGroup(of: Void.self) { group in
            for job in jobs {
                let loop = BlockingLoop(name: "image-app job \(job.fullName)")
                group.addTask { [self] in
                    await loop.run { [self] in
                        self.runLoop(job, control: loop, key: "\(namespace):job:\(job.fullName)")
                    }
                }
            }
        }
        logger.info("jobs stopped")
    }

    // MARK: Running

    private func runLoop(_ job: Job, control: BlockingLoop, key: String) {
        let token = "\(ProcessInfo.processInfo.hostName):\(getpid()):\(UUID().uuidString)"
        while !control.isStopping {
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
            control.pause(milliseconds: waitMilliseconds)
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
}
