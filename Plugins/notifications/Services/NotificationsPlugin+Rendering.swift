import AuthContract
import ImageAppPlugin
import MediaContract
import PostsContract
import ProfilesContract

extension NotificationsPlugin {
    /// The API shape of stored notifications: the actors' summaries from `profiles` (banned and deleted users are left
    /// out, so a notification whose every shown actor is hidden is left out too), the post's preview from `posts` (a
    /// notification about a post that is gone or hidden is left out). Posts are asked for as an anonymous viewer: a
    /// preview needs no `liked`, and so each is one read of the posts' cache.
    func render(_ rows: [NotificationRow]) throws -> [NotificationView] {
        var actorIDs: [UserID] = []
        var postIDs: [PostID] = []
        for row in rows {
            actorIDs.append(contentsOf: row.actorIds.filter { !actorIDs.contains($0) })
            if let post = row.postId, !postIDs.contains(post) { postIDs.append(post) }
        }
        var people: [UserID: UserSummary] = [:]
        for chunk in actorIDs.chunked(UserIDs.maxCount) {
            let found = try host.dispatchQuery(ProfilesQuery.summaries, payload: UserIDs(userIds: chunk), as: UserSummaryList.self)
            for summary in found.items { people[summary.id] = summary }
        }
        var posts: [PostID: PostView] = [:]
        for chunk in postIDs.chunked(PostsLimits.idsPerQuery) {
            let found = try host.dispatchQuery(PostsQuery.views, payload: PostViewsInput(postIds: chunk, viewerId: nil), as: PostList.self)
            for post in found.items { posts[post.id] = post }
        }
        return rows.compactMap { row in
            let actors = row.actorIds.compactMap { people[$0] }
            guard !actors.isEmpty else { return nil }
            var post: NotificationView.Post?
            if let id = row.postId {
                guard let shown = posts[id] else { return nil }
                post = NotificationView.Post(id: id, previewUrl: shown.media.first?.previewUrl)
            }
            // Actors banned since the last ban event was handled are not counted either.
            let hidden = Int64(row.actorIds.count - actors.count)
            return NotificationView(
                id: String(row.id),
                type: row.type,
                actors: Array(actors.prefix(3)),
                actorCount: max(Int64(actors.count), row.actorCount - hidden),
                post: post,
                commentId: row.commentId,
                createdAt: row.at,
                read: row.read
            )
        }
    }
}

extension Array {
    /// Consecutive slices of at most `size` elements.
    fileprivate func chunked(_ size: Int) -> [[Element]] {
        stride(from: 0, to: count, by: size).map { Array(self[$0..<Swift.min($0 + size, count)]) }
    }
}
