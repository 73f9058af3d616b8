import Foundation

/// At most ``limit`` scoped hosts (``withHost(database:environment:role:config:_:)``) run at once in a test process.
///
/// Swift Testing starts every test at once, and each scoped host is an `image-app` process (often several) with its
/// own database: unbounded, a full run on two cores had sixty hosts up and a load average near thirty, and tests
/// that wait for something "within seconds" failed for no fault of the code. The limit is 4 per core, at least 6;
/// `IMAGEAPP_TEST_HOSTS` overrides it. (Suites' time limits are generous for the same reason: a test's time
/// includes its wait for a slot.)
actor HostSlots {
    static let shared = HostSlots(
        limit: ProcessInfo.processInfo.environment["IMAGEAPP_TEST_HOSTS"].flatMap(Int.init)
            ?? max(6, 4 * ProcessInfo.processInfo.activeProcessorCount)
    )

    /// Whether the current task holds a slot already: a scoped host inside another takes none (it could wait forever
    /// for slots that tests waiting for their own second host hold).
    @TaskLocal static var held = false

    /// Runs `body` holding a slot (or the one this task holds already).
    static func withSlot<T>(_ body: () async throws -> T) async rethrows -> T {
        if held { return try await body() }
        await shared.acquire()
        do {
            let result = try await $held.withValue(true) { try await body() }
            await shared.release()
            return result
        } catch {
            await shared.release()
            throw error
        }
    }

    let limit: Int
    private var free: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) {
        self.limit = max(1, limit)
        self.free = max(1, limit)
    }

    /// Waits for a free slot.
    func acquire() async {
        if free > 0 {
            free -= 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Gives a slot back (to the longest waiter, if any).
    func release() {
        if waiting.isEmpty {
            free += 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}
