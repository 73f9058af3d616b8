import AuthContract
import ImageAppPlugin
import MediaContract
import PostsContract

extension PostsPlugin {
    /// Worker handlers, each idempotent (events arrive at least once):
    /// - `post.deleted`: the post's media goes (rows now, blobs when media handles its own event);
    /// - `user.deleted`: the user's posts go, in batches, each raising `post.deleted`;
    /// - `user.banned` / `user.unbanned`: the user's posts are hidden from lists while the account is banned.
    func registerEventHandlers(_ registrar: PluginRegistrar) throws {
        try registrar.eventHandler("delete-media", events: PostsEvent.deleted) { [host] event in
            let post = try event.decodePayload(PostEvent.self)
            _ = try host.dispatchCommand(MediaCommand.deleteForPost, payload: PostRef(postId: post.postId))
        }
        try registrar.eventHandler("user-deleted", events: AuthEvent.userDeleted) { [host] event in
            let user = try event.decodePayload(UserEvent.self)
            while try !host.dispatchCommand("posts.delete_for_author", payload: UserRef(userId: user.userId), as: DeletedPosts.self).posts.isEmpty {}
        }
        // Bans and unbans may be handled out of order: each event only says "look again", and the account decides.
        for (name, type) in [("user-banned", AuthEvent.userBanned), ("user-unbanned", AuthEvent.userUnbanned)] {
            try registrar.eventHandler(name, events: type) { [host] event in
                let user = try event.decodePayload(UserEvent.self)
                let account: Account
                do {
                    account = try host.dispatchQuery(AuthQuery.account, payload: UserRef(userId: user.userId), as: Account.self)
                } catch let error as HTTPError where error.status == 404 {
                    return  // Deleted meanwhile: user.deleted takes the posts.
                }
                _ = try host.dispatchCommand(account.banned ? "posts.hide_author" : "posts.show_author", payload: UserRef(userId: user.userId))
            }
        }
    }
}
