import AuthContract
import ImageAppPlugin
import MediaContract
import PostsContract

extension CommentsPlugin {
    /// Worker handlers, each idempotent (events arrive at least once):
    /// - `post.deleted`: the post's comments go with it;
    /// - `user.deleted`: the user's comments go, in batches (placeholders where others replied), and the posts they
    ///   were on show their new counts;
    /// - `user.banned` / `user.unbanned`: the user's comments are hidden while the account is banned, and the posts
    ///   they are on show the counts without (or with) them.
    func registerEventHandlers(_ registrar: PluginRegistrar) throws {
        try registrar.eventHandler("post-deleted", events: PostsEvent.deleted) { [host] event in
            let post = try event.decodePayload(PostEvent.self)
            _ = try host.dispatchCommand("comments.delete_for_post", payload: PostRef(postId: post.postId))
        }
        try registrar.eventHandler("user-deleted", events: AuthEvent.userDeleted) { event in
            let user = try event.decodePayload(UserEvent.self)
            while true {
                let batch = try host.dispatchCommand("comments.delete_for_author", payload: UserRef(userId: user.userId), as: DeletedComments.self)
                guard !batch.postIds.isEmpty else { break }
                postsChanged(batch.postIds)
            }
        }
        // Bans and unbans may be handled out of order: each event only says "look again", and the account decides.
        for (name, type) in [("user-banned", AuthEvent.userBanned), ("user-unbanned", AuthEvent.userUnbanned)] {
            try registrar.eventHandler(name, events: type) { event in
                let user = try event.decodePayload(UserEvent.self)
                let account: Account
                do {
                    account = try host.dispatchQuery(AuthQuery.account, payload: UserRef(userId: user.userId), as: Account.self)
                } catch let error as HTTPError where error.status == 404 {
                    return  // Deleted meanwhile: user.deleted takes the comments.
                }
                _ = try host.dispatchCommand(account.banned ? "comments.hide_author" : "comments.show_author", payload: UserRef(userId: user.userId))
                try postsOfAuthorChanged(user.userId)
            }
        }
    }

    /// Invalidates the cached posts that `user` has comments on, a page of ids at a time.
    private func postsOfAuthorChanged(_ user: UserID) throws {
        var after: Int64 = 0
        while true {
            let page = try host.dispatchQuery(
                "comments.posts_of_author",
                payload: AuthorPosts(userId: user, after: after, limit: 500),
                as: DeletedComments.self
            )
            postsChanged(page.postIds)
            guard page.postIds.count == 500, let last = page.postIds.last else { return }
            after = last.value
        }
    }
}
