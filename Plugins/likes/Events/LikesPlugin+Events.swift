import AuthContract
import ImageAppPlugin
import LikesContract
import MediaContract
import PluginSupport
import PostsContract

extension LikesPlugin {
    /// Worker handlers, each idempotent: a deleted post's likes go with it; a deleted user's likes go, and the
    /// counts of the posts they liked fall.
    func registerEventHandlers(_ registrar: PluginRegistrar) throws {
        try registrar.eventHandler("post-deleted", events: PostsEvent.deleted) { [host, counter] event in
            let post = try event.decodePayload(PostEvent.self)
            _ = try host.dispatchCommand("likes.delete_for_post", payload: PostRef(postId: post.postId))
            try counter.forget(post.postId)
        }
        try registrar.eventHandler("user-deleted", events: AuthEvent.userDeleted) { [host, counter] event in
            let user = try event.decodePayload(UserEvent.self)
            while true {
                let posts = try host.dispatchCommand("likes.delete_for_user", payload: UserRef(userId: user.userId), as: PostIDs.self).postIds
                if posts.isEmpty { break }
                _ = try counter.adjust(Dictionary(posts.map { ($0, -1) }, uniquingKeysWith: +))
                for post in posts {
                    try GuardedCache.changed(tag: PostsCollaboration.cacheTag(post), host: host)
                }
            }
        }
    }
}
