import AuthContract
import Dispatch
import ImageAppPlugin
import MediaContract
import Synchronization

/// The pushes that wait for the pusher: the users whose notifications or counts changed (and which notifications),
/// and the posts whose counts their authors should see.
///
/// Coalesced: a user or post already waiting is not added twice, so under a burst (a post liked a hundred times a
/// second) each push carries the newest state once instead of every state in between — the pusher reads the state
/// when it pushes, never from the event.
struct PendingPushes: Sendable {
    /// Users in the order they changed, with the notifications that changed for each (none: only the count).
    private(set) var users: [(user: UserID, notifications: [Int64])] = []
    /// Posts whose counts changed, in order, with their authors.
    private(set) var posts: [(post: PostID, author: UserID)] = []
    private var userIndex: [UserID: Int] = [:]
    private var postIndex: Set<PostID> = []

    var isEmpty: Bool { users.isEmpty && posts.isEmpty }

    mutating func add(_ touched: [Touched.Item]) {
        for item in touched {
            let index: Int
            if let known = userIndex[item.userId] {
                index = known
            } else {
                index = users.count
                userIndex[item.userId] = index
                users.append((item.userId, []))
            }
            if let id = item.notificationId, !users[index].notifications.contains(id) { users[index].notifications.append(id) }
        }
    }

    mutating func addCounts(of post: PostID, author: UserID) {
        if postIndex.insert(post).inserted { posts.append((post, author)) }
    }
}

/// Runs pushes on a queue of their own, apart from the event handlers: a handler's work ends with its commit, and
/// the next event does not wait for the previous one's pushes (reading rows, rendering, counting, publishing).
/// Pushes are at most once anyway — a client refetches after reconnecting — so one lost at exit costs nothing.
final class PushQueue: Sendable {
    private struct State {
        var pending = PendingPushes()
        var draining = false
    }

    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "notifications.pushes")

    /// Adds to what waits and, when the queue is idle, starts it with `send`, which gets one batch at a time.
    func enqueue(_ change: (inout PendingPushes) -> Void, send: @escaping @Sendable (PendingPushes) -> Void) {
        let start = state.withLock { state in
            change(&state.pending)
            guard !state.draining, !state.pending.isEmpty else { return false }
            state.draining = true
            return true
        }
        if start { queue.async { self.drain(send) } }
    }

    /// Sends what waits, batch after batch, until nothing does.
    private func drain(_ send: @Sendable (PendingPushes) -> Void) {
        while true {
            let batch = state.withLock { state -> PendingPushes? in
                guard !state.pending.isEmpty else {
                    state.draining = false
                    return nil
                }
                defer { state.pending = PendingPushes() }
                return state.pending
            }
            guard let batch else { return }
            send(batch)
        }
    }
}
