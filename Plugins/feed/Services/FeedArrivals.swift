import AuthContract
import MediaContract
import Synchronization

/// What this process has heard about posts arriving in feeds, so that a first page kept in its memory is used only
/// while nothing newer can have arrived in that feed.
///
/// A fan-out does not touch the cached pages of the feeds it pushes to (invalidating 100,000 pages per post would cost
/// more than the push); instead, after each batch's script call, it announces on `<prefix>:arrivals` which users got
/// which post, and a large author's new post (pulled by every follower at read time) for everyone. A first page from
/// memory is *current* while no announced post for its viewer is newer than both its head (the newest post it was
/// read with) and the newest one a worker last confirmed for that viewer; otherwise the request goes to a worker,
/// which checks the feed's head in Redis as before and confirms what it saw.
///
/// Messages lost while this process was disconnected from Redis cannot leave a page behind: the host drops every
/// in-memory cache copy when its subscriber reconnects. Post ids grow with time (`ms << 22 | sequence`), so "newer" is
/// a comparison of ids. Bounded: past `capacity` users, the per-user maps start again, and everything announced so far
/// is treated as announced for everyone (each reader's next first page is checked once).
final class FeedArrivals: Sendable {
    private struct State {
        /// The newest post announced into each user's feed.
        var announced: [UserID: Int64] = [:]
        /// Announced for every feed: large authors' posts, and what the maps forgot when they started again.
        var everyone: Int64 = 0
        /// The newest announcement a worker has confirmed each user's first page against.
        var confirmed: [UserID: Int64] = [:]
    }

    private let state = Mutex(State())
    private let capacity: Int

    init(capacity: Int = 200_000) {
        self.capacity = capacity
    }

    /// The newest announcement that concerns `user`'s feed (0: none): read it before a worker's read of the feed,
    /// and pass it to ``confirm(_:upTo:)`` after.
    func newest(for user: UserID) -> Int64 {
        state.withLock { max($0.announced[user] ?? 0, $0.everyone) }
    }

    /// Whether a first page of `user`'s read with newest post `head` can still be current.
    func isCurrent(head: String, for user: UserID) -> Bool {
        let head = Int64(head) ?? 0
        return state.withLock { state in
            max(state.announced[user] ?? 0, state.everyone) <= max(head, state.confirmed[user] ?? 0)
        }
    }

    /// A worker found `user`'s first page current (or read it afresh) after reading ``newest(for:)`` as `seen`.
    func confirm(_ user: UserID, upTo seen: Int64) {
        guard seen > 0 else { return }
        state.withLock { state in
            if state.confirmed.count >= capacity { state.confirmed.removeAll(keepingCapacity: true) }
            state.confirmed[user] = max(state.confirmed[user] ?? 0, seen)
        }
    }

    /// Applies an announcement: `<post id> <user id>,<user id>,...`, or `<post id> *` for every feed.
    func apply(message: [UInt8]) {
        guard let space = message.firstIndex(of: UInt8(ascii: " ")),
            let post = Int64(String(decoding: message[..<space], as: UTF8.self)), post > 0
        else { return }
        let rest = message[(space + 1)...]
        if rest.elementsEqual([UInt8(ascii: "*")]) {
            state.withLock { $0.everyone = max($0.everyone, post) }
            return
        }
        let users = rest.split(separator: UInt8(ascii: ",")).compactMap { UserID(String(decoding: $0, as: UTF8.self)) }
        state.withLock { state in
            if state.announced.count + users.count > capacity {
                state.everyone = max(state.everyone, state.announced.values.max() ?? 0)
                state.announced.removeAll(keepingCapacity: true)
            }
            for user in users { state.announced[user] = max(state.announced[user] ?? 0, post) }
        }
    }

    /// The announcement that `users` got `post` (see ``apply(message:)``).
    static func message(_ post: PostID, users: [UserID]) -> String {
        "\(post) " + users.map(\.description).joined(separator: ",")
    }

    /// The announcement of a post every feed may pull.
    static func messageForEveryone(_ post: PostID) -> String { "\(post) *" }
}
