import Dispatch
import Foundation
import ServiceLifecycle
import Synchronization

/// A loop of blocking calls (libpq, hiredis) run by a `Service` on a thread of its own.
///
/// The C clients block their thread for a whole round trip (or a `BLOCK`ed read), so the loops
/// stay off Swift's cooperative pool, where a few of them would starve every other task. The
/// service's `run()` awaits the thread; graceful shutdown and cancellation ask the loop to stop
/// and wake it from ``pause(milliseconds:)`` at once. A loop that does not return within
/// ``abandonAfter`` of a cancellation is left behind so the process can still exit.
final class BlockingLoop: Sendable {
    /// The thread's name, as `ps -L` and debuggers show it.
    let name: String
    private let stopping = Atomic<Bool>(false)
    private let wakeup = DispatchSemaphore(value: 0)
    /// How long a cancelled service waits for its thread before returning without it.
    static let abandonAfter: Duration = .seconds(5)

    init(name: String) {
        self.name = name
    }

    /// Whether the loop should finish its current step and return.
    var isStopping: Bool { stopping.load(ordering: .acquiring) }

    /// Asks the loop to stop and wakes it. Idempotent.
    func requestStop() {
        guard !stopping.exchange(true, ordering: .acquiringAndReleasing) else { return }
        wakeup.signal()
    }

    /// Ends the current or the next ``pause(milliseconds:)`` early.
    func wake() {
        wakeup.signal()
    }

    /// Sleeps up to `milliseconds`, less when woken or stopped.
    func pause(milliseconds: Int64) {
        guard !isStopping else { return }
        _ = wakeup.wait(timeout: .now() + .milliseconds(Int(max(1, milliseconds))))
        // A stop signal consumed here must still wake a later pause.
        if isStopping { wakeup.signal() }
    }

    /// Runs `body` on a new thread and returns when it does; graceful shutdown or cancellation of
    /// the calling task asks it to stop first (``isStopping``).
    func run(_ body: @escaping @Sendable () -> Void) async {
        let completion = Completion()
        let thread = Thread {
            body()
            completion.finish()
        }
        thread.name = name
        thread.start()
        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                await completion.wait()
            } onCancel: {
                self.requestStop()
                let (seconds, attoseconds) = Self.abandonAfter.components
                let delay = DispatchTimeInterval.milliseconds(Int(seconds * 1000 + attoseconds / 1_000_000_000_000_000))
                DispatchQueue.global().asyncAfter(deadline: .now() + delay) { completion.finish() }
            }
        } onGracefulShutdown: {
            self.requestStop()
        }
    }

    /// Runs `body` on a new thread outside any service group (a one-off plugin command, which
    /// has no group to stop it) and returns a function that asks it to stop and waits for it,
    /// at most ``abandonAfter``.
    func start(_ body: @escaping @Sendable () -> Void) -> @Sendable () -> Void {
        let finished = DispatchSemaphore(value: 0)
        let thread = Thread {
            body()
            finished.signal()
        }
        thread.name = name
        thread.start()
        return {
            self.requestStop()
            let (seconds, attoseconds) = Self.abandonAfter.components
            _ = finished.wait(timeout: .now() + .milliseconds(Int(seconds * 1000 + attoseconds / 1_000_000_000_000_000)))
        }
    }

    /// Runs `body` on a new thread named `name` and returns when it does (a blocking call that
    /// must not hold a thread of the cooperative pool, such as joining another thread).
    static func perform(name: String, _ body: @escaping @Sendable () -> Void) async {
        let completion = Completion()
        let thread = Thread {
            body()
            completion.finish()
        }
        thread.name = name
        thread.start()
        await completion.wait()
    }

    /// Resumes one waiter once, whichever of `finish` and `wait` comes first.
    private final class Completion: Sendable {
        private struct State {
            var finished = false
            var waiter: CheckedContinuation<Void, Never>?
        }

        private let state = Mutex(State())

        func finish() {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                state.finished = true
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }

        func wait() async {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let done = state.withLock { state in
                    if !state.finished { state.waiter = continuation }
                    return state.finished
                }
                if done { continuation.resume() }
            }
        }
    }
}
