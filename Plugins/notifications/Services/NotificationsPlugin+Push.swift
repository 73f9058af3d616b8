import AuthContract
import CommentsContract
import ImageAppPlugin
import LikesContract
import MediaContract
import PostsContract
import RealtimeContract

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension NotificationsPlugin {
    /// Queues pushes of each changed notification (`notification`) and then each recipient's new count
    /// (`unread_count`) to their open streams, on every instance (see ``PushQueue``).
    func push(_ touched: [Touched.Item]) {
        guard !touched.isEmpty else { return }
        pushes.enqueue({ $0.add(touched) }, send: send)
    }

    /// Queues a push of a post's counts (`post.counts`) to its author.
    func pushPostCounts(_ post: PostID, to author: UserID) {
        pushes.enqueue({ $0.addCounts(of: post, author: author) }, send: send)
    }

    /// Sends one batch from the ``PushQueue``: for each user their changed notifications as they are now, then their
    /// count; then each post's counts. Pushes are at most once and clients refetch after reconnecting, so a failure is
    /// logged, not retried: the change itself has committed.
    func send(_ batch: PendingPushes) {
        for (user, ids) in batch.users {
            do {
                let changes = try host.dispatchQuery(
                    "notifications.changes",
                    payload: NotificationIDs(userId: user, ids: ids),
                    as: NotificationChanges.self
                )
                for view in try render(changes.items) {
                    try RealtimePush.push(host, to: user.value, type: RealtimePush.MessageType.notification, data: view)
                }
                try RealtimePush.push(host, to: user.value, type: RealtimePush.MessageType.unreadCount, data: UnreadCount(count: changes.unreadCount))
            } catch {
                logPushFailure(user, error)
            }
        }
        for (post, author) in batch.posts { sendPostCounts(post, to: author) }
    }

    /// Pushes a post's counts (`post.counts`) to its author, from the plugins that count them (`likes.post_counts`,
    /// `comments.post_counts`, as `posts` shows them): two counter reads, where `posts.views` would render the post
    /// again after every like (each one invalidates it).
    private func sendPostCounts(_ post: PostID, to author: UserID) {
        do {
            let ids = PostIDs(postIds: [post])
            func count(_ query: String, _ field: String) throws -> Int64 {
                guard let json = try host.dispatchQueryIfRegistered(query, payload: ids) else { return 0 }
                let counts = try JSONDecoder().decode([String: [String: Int64]].self, from: Data(json.utf8))
                return counts[post.description]?[field] ?? 0
            }
            let counts = PostCounts(
                postId: post,
                likeCount: try count(LikesQuery.postCounts, "like_count"),
                commentCount: try count(CommentsQuery.postCounts, "comment_count")
            )
            try RealtimePush.push(host, to: author.value, type: RealtimePush.MessageType.postCounts, data: counts)
        } catch {
            logPushFailure(author, error)
        }
    }

    private func logPushFailure(_ user: UserID, _ error: any Error) {
        host.log(.warning, "cannot push to user \(user): \(error)")
    }
}
