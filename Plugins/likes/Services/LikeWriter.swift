import AuthContract
import Dispatch
import ImageAppPlugin
import LikesContract
import MediaContract
import Synchronization

/// Commits the likes and unlikes of requests that arrive together in one transaction (group commit).
///
/// Every like is durable in PostgreSQL before its request is answered, and committing is most of what a like costs
/// the database (a WAL flush, and round trips that are context switches on a busy machine). So a request hands its
/// change to the writer and waits; the writer takes every change waiting, commits them with one `likes.apply`, and
/// answers each. Idle, a batch is the one change (no added wait); under load, batches grow by themselves with the
/// number of requests waiting, and the commits per second stay few.
///
/// A batch never holds two changes of one (post, user) pair: the later one waits for the next batch, so a like and
/// its unlike keep their order.
final class LikeWriter: Sendable {
    /// One request's change, and where its outcome goes.
    private final class Waiter: @unchecked Sendable {
        let change: LikeChange
        let done = DispatchSemaphore(value: 0)
        /// Set by the writer before it signals `done`; read by the request after.
        var outcome: Result<Bool, HTTPError> = .failure(.internalError)

        init(_ change: LikeChange) { self.change = change }
    }

    private struct State {
        var waiting: [Waiter] = []
        var writing = false
    }

    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "likes.writer")
    private let maxBatch: Int
    private let commit: @Sendable ([LikeChange]) throws(HTTPError) -> [Bool]

    /// - Parameters:
    ///   - maxBatch: The most changes in one transaction (a batch is rarely larger than the host's worker threads:
    ///     each waiting request holds one).
    ///   - commit: Commits a batch and tells, for each change in order, whether it changed anything.
    init(maxBatch: Int = 64, commit: @escaping @Sendable ([LikeChange]) throws(HTTPError) -> [Bool]) {
        self.maxBatch = max(1, maxBatch)
        self.commit = commit
    }

    /// Commits `change` with the others waiting; true when it changed something (a new like, a like taken back).
    /// Blocks the calling thread until its batch committed.
    func write(_ change: LikeChange) throws(HTTPError) -> Bool {
        let waiter = Waiter(change)
        let start = state.withLock { state in
            state.waiting.append(waiter)
            guard !state.writing else { return false }
            state.writing = true
            return true
        }
        if start { queue.async { self.drain() } }
        waiter.done.wait()
        return try waiter.outcome.get()
    }

    /// Commits batches until nothing waits.
    private func drain() {
        while let batch = nextBatch() {
            let outcomes: Result<[Bool], HTTPError>
            do throws(HTTPError) {
                outcomes = .success(try commit(batch.map(\.change)))
            } catch {
                outcomes = .failure(error)
            }
            for (index, waiter) in batch.enumerated() {
                waiter.outcome = outcomes.map { $0.indices.contains(index) && $0[index] }
                waiter.done.signal()
            }
        }
    }

    /// Takes the next batch off the queue (in arrival order, one change per pair), or ends the drain when none waits.
    private func nextBatch() -> [Waiter]? {
        state.withLock { state -> [Waiter]? in
            guard !state.waiting.isEmpty else {
                state.writing = false
                return nil
            }
            var batch: [Waiter] = []
            var pairs: Set<LikeChange.Pair> = []
            var left: [Waiter] = []
            for waiter in state.waiting {
                if batch.count < maxBatch, pairs.insert(waiter.change.pair).inserted {
                    batch.append(waiter)
                } else {
                    left.append(waiter)
                }
            }
            state.waiting = left
            return batch
        }
    }
}

/// A like or unlike: the payload of `likes.apply` lists them.
struct LikeChange: Codable, Sendable {
    var like: LikeEvent
    /// True to like, false to take the like back.
    var liked: Bool

    /// What a batch holds one change of.
    struct Pair: Hashable {
        var post: Int64
        var user: Int64
    }

    var pair: Pair { Pair(post: like.postId.value, user: like.userId.value) }
}

/// The payload of `likes.apply`.
struct LikeChanges: Codable, Sendable {
    var changes: [LikeChange]
}

/// The result of `likes.apply`: for each change in order, whether it changed anything.
struct AppliedChanges: Codable, Sendable {
    var changed: [Bool]
}
