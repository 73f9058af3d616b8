import Foundation
import Synchronization

/// A fixed set of threads of its own on which images are processed, with a bounded queue in front.
///
/// libvips work blocks a thread for a few hundred milliseconds and holds tens of megabytes, so it runs neither on an
/// event loop nor on Swift's cooperative pool, and never more than `threads` at once: the callers (host worker
/// threads of upload requests) wait for their job. When `threads` jobs run and `queueLength` wait, ``run(_:)``
/// refuses at once and the upload is answered 503. The threads live as long as the process (a plugin is never
/// unloaded), and call ``ImagePipeline/threadEnding()`` should they ever end.
///
/// Each plugin that processes images has a pool of its own (media's uploads, profiles' avatars): at most the sum of
/// their `threads` images are processed at once in a process.
public final class ProcessingPool: Sendable {
    private struct State {
        var queue: [@Sendable () -> Void] = []
        var running = 0
    }

    /// How many jobs run at once.
    public let threads: Int
    /// How many jobs may wait.
    public let queueLength: Int
    private let state = Mutex(State())
    /// Counts queued jobs; pool threads wait on it.
    private let queued = DispatchSemaphore(value: 0)

    /// Starts `threads` threads named `<name>-<index>`.
    public init(threads: Int, queueLength: Int, name: String) {
        self.threads = max(1, threads)
        self.queueLength = max(0, queueLength)
        for index in 0..<self.threads {
            let thread = Thread { [self] in
                self.work()
                ImagePipeline.threadEnding()
            }
            thread.name = "\(name)-\(index)"
            thread.start()
        }
    }

    /// Runs `job` on a pool thread and waits for its result; `nil`, without running it, when the pool is full.
    public func run<Result: Sendable>(_ job: @escaping @Sendable () -> Result) -> Result? {
        let slot = ResultSlot<Result>()
        let accepted = state.withLock { state in
            guard state.running + state.queue.count < threads + queueLength else { return false }
            state.queue.append {
                slot.value = job()
                slot.done.signal()
            }
            return true
        }
        guard accepted else { return nil }
        queued.signal()
        slot.done.wait()
        return slot.value
    }

    /// Jobs now running and waiting (for metrics and tests).
    public var load: (running: Int, waiting: Int) {
        state.withLock { ($0.running, $0.queue.count) }
    }

    private func work() {
        while true {
            queued.wait()
            let job = state.withLock { state in
                state.running += 1
                return state.queue.removeFirst()
            }
            job()
            state.withLock { $0.running -= 1 }
        }
    }
}

/// One job's result, handed from the pool thread to the waiting caller.
///
/// The use of `@unchecked Sendable` is safe for this type because `value` is written once, by the pool thread, before
/// it signals `done`, and read by the caller only after `done.wait()` returned: the semaphore orders the two.
private final class ResultSlot<Value>: @unchecked Sendable {
    var value: Value?
    let done = DispatchSemaphore(value: 0)
}
