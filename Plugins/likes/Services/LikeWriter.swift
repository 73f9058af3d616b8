import AuthContract
import Dispatch
import ImageAppPlugin
import LikesContract
import MediaContract
import Synchronization

/// Commits the likes and unlikes of requests that arrive together in one transaction (group commit), and counts them.
///
/// Every like is durable in PostgreSQL before its request is answered, and committing is most of what a like costs
/// the database (a WAL flush, and round trips that are context switches on a busy machine). So a request hands its
/// change to the writer and returns at once (the route answers later); the writer takes every change waiting, commits
/// them with one `likes.apply` (which also checks that their posts can be liked, in one query), counts them with one
/// Redis script, and hands each request its outcome. Idle, a batch is the one change (no added wait); under load,
/// batches grow by themselves with the number of requests waiting, and the work per like that is not per batch is the
/// HTTP request itself. No thread waits for a batch: a request held a worker thread for its whole batch before, and
/// waking them cost a context switch each.
///
/// A batch never holds two changes of one (post, user) pair: the later one waits for the next batch, so a like and
/// its unlike keep their order.
final class LikeWriter: Sendable {
    /// What came of a change, or what failed its batch.
    typealias Completion = @Sendable (Result<LikeOutcome, any Error>) -> Void

    /// One request's change, and where its outcome goes.
    private struct Waiter: Sendable {
        let change: LikeChange
        let done: Completion
    }

    private struct State {
        var waiting: [Waiter] = []
        var writing = false
    }

    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "likes.writer")
    private let maxBatch: Int
    private let commit: @Sendable ([LikeChange]) throws -> [LikeOutcome]

    /// - Parameters:
    ///   - maxBatch: The most changes in one transaction.
    ///   - commit: Commits and counts a batch, and tells what came of each change, in order.
    init(maxBatch: Int = 256, commit: @escaping @Sendable ([LikeChange]) throws -> [LikeOutcome]) {
        self.maxBatch = max(1, maxBatch)
        self.commit = commit
    }

    /// Queues `change` for the next batch and returns at once; `done` gets what came of it once its batch committed
    /// (or what failed the batch), on the writer's thread: keep it short, and hand blocking work elsewhere.
    func submit(_ change: LikeChange, done: @escaping Completion) {
        let start = state.withLock { state in
            state.waiting.append(Waiter(change: change, done: done))
            guard !state.writing else { return false }
            state.writing = true
            return true
        }
        if start { queue.async { self.drain() } }
    }

    /// Commits batches until nothing waits.
    private func drain() {
        while let batch = nextBatch() {
            let outcomes: Result<[LikeOutcome], any Error>
            do {
                outcomes = .success(try commit(batch.map(\.change)))
            } catch {
                outcomes = .failure(error)
            }
            for (index, waiter) in batch.enumerated() {
                waiter.done(
                    outcomes.flatMap { outcomes in
                        outcomes.indices.contains(index) ? .success(outcomes[index]) : .failure(HTTPError.internalError)
                    }
                )
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

/// A like or unlike asked for: the payload of `likes.apply` lists them.
struct LikeChange: Codable, Sendable {
    var postId: PostID
    var userId: UserID
    /// True to like, false to take the like back.
    var liked: Bool

    /// What a batch holds one change of.
    struct Pair: Hashable {
        var post: Int64
        var user: Int64
    }

    var pair: Pair { Pair(post: postId.value, user: userId.value) }
}

/// The payload of `likes.apply`.
struct LikeChanges: Codable, Sendable {
    var changes: [LikeChange]

    /// The payload as the SDK's encoder writes it, written directly: the writer sends one per batch on its own thread.
    var json: String {
        var text = "{\"changes\":["
        for (index, change) in changes.enumerated() {
            if index > 0 { text += "," }
            text += "{\"liked\":\(change.liked),\"post_id\":\"\(change.postId.value)\",\"user_id\":\"\(change.userId.value)\"}"
        }
        return text + "]}"
    }
}

/// The result of `likes.apply`, for each change in order: whether its post exists and is visible (`found`), and
/// whether it changed anything (a new like, a like taken back).
struct AppliedChanges: Codable, Sendable {
    var found: [Bool]
    var changed: [Bool]
}

/// What came of one change: `found` and `changed` as in ``AppliedChanges``, and the post's like count after the
/// batch (`nil` when Redis has no counter for it: rebuild it from the rows).
struct LikeOutcome: Sendable {
    var found: Bool
    var changed: Bool
    var count: Int64?
}
