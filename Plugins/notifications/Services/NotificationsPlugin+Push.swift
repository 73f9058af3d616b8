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
    /// Pushes each changed notification (`notification`) and then each recipient's new count (`unread_count`) to
    /// their open streams, on every instance. Pushes are at most once and clients refetch after reconnecting, so a
    /// failure is logged, not retried: the change itself has committed.
    func push(_ touched: [Touched.Item]) {
        var order: [UserID] = []
        var changed: [UserID: [Int64]] = [:]
        for item in touched {
            if changed[item.userId] == nil {
                order.append(item.userId)
                changed[item.userId] = []
            }
            if let id = item.notificationId { changed[item.userId]?.append(id) }
        }
        for user in order {
            do {
                let ids = changed[user] ?? []
                if !ids.isEmpty {
                    let rows = try host.dispatchQuery(
                        "notifications.by_ids",
                        payload: NotificationIDs(userId: user, ids: ids),
                        as: NotificationRows.self
                    )
                    for view in try render(rows.items) {
                        try RealtimePush.push(host, to: user.value, type: RealtimePush.MessageType.notification, data: view)
                    }
                }
                try pushCount(to: user)
            } catch {
                logPushFailure(user, error)
            }
        }
    }

    /// Pushes `user`'s unread count.
    func pushCount(to user: UserID) throws {
        let count = try host.dispatchQuery("notifications.unread_count", payload: UserRef(userId: user), as: UnreadCount.self)
        try RealtimePush.push(host, to: user.value, type: RealtimePush.MessageType.unreadCount, data: count)
    }

    /// Pushes a post's counts (`post.counts`) to its author, from the plugins that count them (`likes.post_counts`,
    /// `comments.post_counts`, as `posts` shows them): two counter reads, where `posts.views` would render the post
    /// again after every like (each one invalidates it).
    func pushPostCounts(_ post: PostID, to author: UserID) {
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
