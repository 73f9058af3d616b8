import AuthContract
import CommentsContract
import ImageAppPlugin
import LikesContract
import MediaContract
import PostsContract

extension TrendingPlugin {
    /// Worker handlers that keep the plugin's tables, each idempotent (events arrive at least once). One handler per
    /// source, so that a post's or a like's events mostly come in stream order; a deleted post stays a tombstone, so
    /// that its creation or a like handled late cannot revive it.
    func registerEventHandlers(_ registrar: PluginRegistrar) throws {
        try registrar.eventHandler("posts", events: "post.*") { [host] event in
            guard [PostsEvent.created, PostsEvent.updated, PostsEvent.deleted].contains(event.type) else { return }
            let post = try event.decodePayload(PostEvent.self)
            let tracked = TrackedPost(postId: post.postId.value, authorId: post.authorId.value, tags: post.tags, createdAt: post.createdAt)
            let command = event.type == PostsEvent.deleted ? "trending.delete_post" : "trending.record_post"
            _ = try host.dispatchCommand(command, payload: tracked)
        }
        try registrar.eventHandler("likes", events: "like.*") { [host] event in
            guard [LikesEvent.created, LikesEvent.deleted].contains(event.type) else { return }
            let like = try event.decodePayload(LikeEvent.self)
            let engagement = Engagement(
                postId: like.postId.value,
                kind: .like,
                ref: like.userId.value,
                userId: like.userId.value,
                at: event.occurredAt
            )
            let command = event.type == LikesEvent.created ? "trending.record_engagement" : "trending.remove_engagement"
            _ = try host.dispatchCommand(command, payload: engagement)
        }
        try registrar.eventHandler("comments", events: "comment.*") { [host] event in
            switch event.type {
            case CommentsEvent.created:
                let comment = try event.decodePayload(CommentCreated.self)
                let engagement = Engagement(
                    postId: comment.postId.value,
                    kind: .comment,
                    ref: comment.commentId.value,
                    userId: comment.authorId.value,
                    at: comment.createdAt
                )
                _ = try host.dispatchCommand("trending.record_engagement", payload: engagement)
            case CommentsEvent.deleted:
                // Gone, or left as a placeholder without a body: either way it no longer counts.
                let comment = try event.decodePayload(CommentDeleted.self)
                let engagement = Engagement(postId: comment.postId.value, kind: .comment, ref: comment.commentId.value, userId: 0, at: nil)
                _ = try host.dispatchCommand("trending.remove_engagement", payload: engagement)
            default:
                return
            }
        }
        try registrar.eventHandler("users", events: AuthEvent.anyUserEvent) { [host] event in
            guard [AuthEvent.userBanned, AuthEvent.userUnbanned, AuthEvent.userDeleted].contains(event.type) else { return }
            let user = try event.decodePayload(UserEvent.self)
            _ = try host.dispatchCommand(
                "trending.set_user",
                payload: UserState(userId: user.userId.value, state: try Self.state(of: user.userId, event.type, host))
            )
        }
    }

    /// How `user` counts now. Bans and unbans only say "look again" (they may be handled out of order): the
    /// account decides.
    private static func state(of user: UserID, _ type: String, _ host: PluginHost) throws -> UserState.State {
        if type == AuthEvent.userDeleted { return .deleted }
        do {
            let account = try host.dispatchQuery(AuthQuery.account, payload: UserRef(userId: user), as: Account.self)
            return account.banned ? .banned : .visible
        } catch {
            guard error.status == 404 else { throw error }
            return .deleted  // Deleted meanwhile: its own event says so too.
        }
    }
}
