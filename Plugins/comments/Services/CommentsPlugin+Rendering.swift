import AuthContract
import CommentsContract
import ImageAppPlugin
import MediaContract
import PluginSupport
import PostsContract
import ProfilesContract

// Comments are shown in the shared shape, put together from three plugins: the row (here), the author summaries
// (profiles, which leaves banned and deleted users out: their comments are hidden with them) and the post (posts:
// whether it exists, and whose it is). Nothing is cached here; what `posts` caches (the post with its
// `comment_count`) is invalidated after every change of the count.

extension CommentsPlugin {
    /// The author of post `id`; 404 `post_not_found` when there is no such post.
    func postAuthor(_ id: PostID) throws(HTTPError) -> UserID {
        let authors = try host.dispatchQuery(PostsQuery.authors, payload: PostIDs(postIds: [id]), as: PostAuthors.self)
        guard let item = authors.items.first(where: { $0.postId == id }) else { throw Self.postNotFound }
        return item.authorId
    }

    /// The summaries of `ids` (at most 200), by id; banned and deleted users are left out.
    func summaries(_ ids: [UserID]) throws(HTTPError) -> [UserID: UserSummary] {
        var seen: Set<UserID> = []
        let unique = ids.filter { seen.insert($0).inserted }
        guard !unique.isEmpty else { return [:] }
        let list = try host.dispatchQuery(ProfilesQuery.summaries, payload: UserIDs(userIds: unique), as: UserSummaryList.self)
        return Dictionary(list.items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The users mentioned by `handles` (lowercased), in that order, in one query: unknown and banned handles stay
    /// text.
    func mentions(_ handles: [String]) throws(HTTPError) -> [Mention] {
        guard !handles.isEmpty else { return [] }
        let found = try host.dispatchQuery(AuthQuery.publicAccounts, payload: AccountsLookup(handles: handles), as: PublicAccountList.self)
        var byHandle: [String: PublicAccount] = [:]
        for account in found.items where !account.banned { byHandle[account.handle.lowercased()] = account }
        return handles.compactMap { handle in byHandle[handle].map { Mention(id: $0.id, handle: $0.handle) } }
    }

    /// The shared shape of `comments` with the authors in `people`. A comment whose author has no summary (banned or
    /// deleted, before this plugin heard of it) is left out, and so are the replies to one.
    func views(_ comments: [StoredComment], people: [UserID: UserSummary]) -> [CommentView] {
        comments.compactMap { comment in
            if let parentAuthor = comment.parentAuthorId, people[parentAuthor] == nil { return nil }
            let author = comment.authorId.flatMap { people[$0] }
            guard comment.deleted || author != nil else { return nil }
            return comment.view(author: author)
        }
    }

    /// Drops every cached copy of the posts with `ids` (their `comment_count` changed), on every instance. A failure
    /// is logged: the copies then expire within `posts`' `cache_ttl_seconds`.
    func postsChanged(_ ids: [PostID], _ request: Request? = nil) {
        for id in ids {
            do {
                try GuardedCache.changed(tag: PostsCollaboration.cacheTag(id), host: host)
            } catch {
                let message = "cannot invalidate the cache of post \(id): \(error)"
                if let request { request.log(.warning, message) } else { host.log(.warning, message) }
            }
        }
    }
}

extension StoredComment {
    /// The comment in the shared shape, by `author`; a placeholder shows nothing of what was removed.
    func view(author: UserSummary?) -> CommentView {
        CommentView(
            id: id,
            postId: postId,
            parentId: parentId,
            author: deleted ? nil : author,
            body: deleted ? "" : body,
            mentions: deleted ? [] : mentions,
            createdAt: createdAt,
            deleted: deleted
        )
    }
}
