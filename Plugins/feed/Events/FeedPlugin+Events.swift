import AuthContract
import Dispatch
import FollowsContract
import ImageAppPlugin
import MediaContract
import PostsContract
import RealtimeContract

extension FeedPlugin {
    /// Worker handlers, each idempotent (events arrive at least once; adding an id twice or removing it twice is the
    /// same as once):
    /// - `post.created`: fan-out (``fanOut(_:)``);
    /// - `post.deleted`: out of the author's pull list; feeds drop it when a read finds `posts.views` leaving it out;
    /// - `follow.created` / `follow.deleted`: the followee's recent posts merged into / removed from the follower's feed;
    /// - `user.deleted`: the user's keys go.
    func registerEventHandlers(_ registrar: PluginRegistrar) throws {
        try registrar.eventHandler("post-created", events: PostsEvent.created) { [self] event in
            try fanOut(try event.decodePayload(PostEvent.self))
        }
        try registrar.eventHandler("post-deleted", events: PostsEvent.deleted) { [self] event in
            let post = try event.decodePayload(PostEvent.self)
            try store.remove([post.postId], from: store.authorKey(post.authorId))
            try store.remove([post.postId], from: store.homeKey(post.authorId))
        }
        try registrar.eventHandler("follow-created", events: FollowsEvent.created) { [self] event in
            try followed(try event.decodePayload(FollowEvent.self))
        }
        try registrar.eventHandler("follow-deleted", events: FollowsEvent.deleted) { [self] event in
            try unfollowed(try event.decodePayload(FollowEvent.self))
        }
        try registrar.eventHandler("user-deleted", events: AuthEvent.userDeleted) { [self] event in
            let user = try event.decodePayload(UserEvent.self).userId
            try store.delete([store.homeKey(user), store.largeKey(user), store.authorKey(user)])
            _ = try host.redis("SREM", store.largeAuthorsKey, user.description)
        }
    }

    /// Puts a new post in the author's own feed and their followers' live feeds, or, for an author with more than
    /// `pull_threshold` followers, in their pull list only (followers are told once, when the author becomes large,
    /// and keep pulling from the list afterwards: nothing is lost if the author falls back under the threshold).
    func fanOut(_ post: PostEvent) throws {
        let author = post.authorId
        let push = realtime.isAvailable(host)
        if try !store.push(post.postId, into: [store.homeKey(author)], max: settings.maxEntries).isEmpty {
            feedChanged(author)
            if push { self.push(post.postId, to: author) }
        }
        // Kept while it exists, so that followers who pull an account that fell back under the threshold still see
        // its older posts.
        _ = try store.push(post.postId, into: [store.authorKey(author)], max: settings.authorRecentPosts)
        if try followersCount(author) > settings.pullThreshold {
            try ensureAuthorList(author)
            _ = try store.push(post.postId, into: [store.authorKey(author)], max: settings.authorRecentPosts)
            if try host.redis("SADD", store.largeAuthorsKey, author.description) == .integer(1) {
                try forEachFollowerBatch(author) { try store.setLarge(author, true, for: $0) }
            }
            announce(FeedArrivals.messageForEveryone(post.postId))
            return
        }
        _ = try host.redis("SREM", store.largeAuthorsKey, author.description)
        // Pushes go out from a queue of their own, beside the next batch's script call rather than before it.
        let pushes = DispatchQueue(label: "feed.fan-out-pushes")
        defer { pushes.sync {} }
        try forEachFollowerBatch(author) { batch in
            let got = try store.push(post.postId, into: batch.map(store.homeKey), max: settings.maxEntries)
            guard !got.isEmpty else { return }
            let users = got.map { batch[$0] }
            pushes.async {
                self.announce(FeedArrivals.message(post.postId, users: users))
                if push { for user in users { self.push(post.postId, to: user) } }
            }
        }
    }

    /// A new follow: the followee's recent posts join the follower's feed (or the followee joins their pull list).
    /// A feed that is not built gets everything at its rebuild.
    private func followed(_ follow: FollowEvent) throws {
        guard try store.exists(store.homeKey(follow.followerId)) else { return }
        if try followersCount(follow.followeeId) > settings.pullThreshold {
            try store.setLarge(follow.followeeId, true, for: [follow.followerId])
        } else {
            let posts = try recentPosts([follow.followeeId], limit: settings.followMergePosts)
            try store.merge(posts, into: store.homeKey(follow.followerId), max: settings.maxEntries, create: false, ttl: nil)
        }
        feedChanged(follow.followerId)
    }

    /// An unfollow: the followee's posts leave the follower's feed. Those in it are among the followee's newest
    /// `max_entries` (a feed keeps the newest), so removing those is enough.
    private func unfollowed(_ follow: FollowEvent) throws {
        _ = try host.redis("SREM", store.largeKey(follow.followerId), follow.followeeId.description)
        let posts = try recentPosts([follow.followeeId], limit: settings.maxEntries)
        try store.remove(posts, from: store.homeKey(follow.followerId))
        feedChanged(follow.followerId)
    }

    /// Tells every API process which feeds got a post (``FeedArrivals``), after the push: their first pages in memory
    /// are then checked again. A failure is logged; the page copies still expire (`host.cache_local_ttl_ms`).
    private func announce(_ message: String) {
        do {
            _ = try host.redis("PUBLISH", store.arrivalsChannel, message)
        } catch {
            host.log(.warning, "feed arrivals not announced: \(error)")
        }
    }

    /// `feed.post` `{"post_id"}` to `user`'s open streams (one queued PUBLISH; nobody listening costs no more). At
    /// most once, like all realtime messages: a failure is logged at debug level only.
    private func push(_ post: PostID, to user: UserID) {
        do {
            try RealtimePush.push(host, to: user.value, type: RealtimePush.MessageType.feedPost, json: "{\"post_id\":\"\(post)\"}")
        } catch {
            host.log(.debug, "feed.post to user \(user) not sent: \(error)")
        }
    }
}
