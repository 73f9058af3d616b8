import Synchronization

/// The outbox rows this process committed and has not published yet, handed from the command bus to the relay.
///
/// After a commit that raised events, the bus adds the rows' ids and wakes the relay, which publishes exactly those
/// rows by primary key. Looking them up by id keeps the hot path independent of the outbox's size and of its dead
/// row versions: scanning for unpublished rows walks every row version published since the last vacuum, which under
/// a steady stream of events grew to thousands per scan. The relay's poll still scans, every half second, for what
/// other processes committed and could not publish.
final class OutboxHandoff: Sendable {
    private let ids = Mutex<[Int64]>([])
    /// The relay's loop, woken by ``committed(_:)``.
    let loop: BlockingLoop

    init(loop: BlockingLoop) {
        self.loop = loop
    }

    /// Records rows committed just now and wakes the relay.
    func committed(_ new: [Int64]) {
        guard !new.isEmpty else { return }
        ids.withLock { $0 += new }
        loop.wake()
    }

    /// The ids recorded since the last call, oldest first.
    func take() -> [Int64] {
        ids.withLock { ids in
            defer { ids = [] }
            return ids
        }
    }
}
