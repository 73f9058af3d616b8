import AuthContract
import Foundation
import ImageAppPlugin
import MediaContract
import PluginSupport
import PostsContract
import ProfilesContract

// Posts are shown in the shared shape, put together from four plugins: the row (here), the author summary
// (profiles), the media (media) and the counts (comments, likes). The result is cached per post, tagged `post:<id>`
// (this plugin's changes, and the counting plugins') and `user:<author>` (profile and account changes, bans), so a
// warm post costs no query at all. Only `liked` depends on the viewer; it is applied to the cached body.

extension PostsPlugin {
    /// The cache key of post `id`'s rendered body (public, for feeds that peek at it).
    func cacheKey(_ id: PostID) -> String { PostsCollaboration.viewCacheKey(id) }

    /// The rendered bodies of the posts with `ids`, in that order; posts that do not exist or whose author is
    /// banned or gone are left out.
    ///
    /// - Throws: ``WouldBlock`` when `canBlock` is false and a body is not in this process's memory; ``HTTPError``
    ///   from the queries.
    func renderedBodies(_ ids: [PostID], canBlock: Bool) throws -> [RenderedPost] {
        var bodies = try cachedBodies(ids, canBlock: canBlock)
        let missing = ids.filter { bodies[$0] == nil }
        if !missing.isEmpty {
            let posts = try host.dispatchQuery("posts.rows", payload: PostIDs(postIds: missing), as: DeletedPosts.self).posts
            bodies.merge(try renderAndCache(posts)) { cached, _ in cached }
        }
        return ids.compactMap { id in bodies[id].map { RenderedPost(id: id, body: $0) } }
    }

    /// The rendered bodies of `posts` (rows already read, such as a page of a list), in their order.
    func renderedBodies(of posts: [StoredPost]) throws -> [RenderedPost] {
        var bodies = try cachedBodies(posts.map(\.id), canBlock: true)
        let missing = posts.filter { bodies[$0.id] == nil }
        if !missing.isEmpty { bodies.merge(try renderAndCache(missing)) { cached, _ in cached } }
        return posts.compactMap { post in bodies[post.id].map { RenderedPost(id: post.id, body: $0) } }
    }

    private func cachedBodies(_ ids: [PostID], canBlock: Bool) throws -> [PostID: [UInt8]] {
        var bodies: [PostID: [UInt8]] = [:]
        for id in ids {
            if let body = try cache.body(cacheKey(id), canBlock: canBlock) { bodies[id] = body }
        }
        return bodies
    }

    /// Renders `posts` in one query per collaborating plugin, caches each body, and returns them by id.
    private func renderAndCache(_ posts: [StoredPost]) throws -> [PostID: [UInt8]] {
        var bodies: [PostID: [UInt8]] = [:]
        for view in try render(posts) {
            let body = try Response.json(view).body
            bodies[view.id] = body
            cache.store(
                cacheKey(view.id),
                body,
                tags: [PostsCollaboration.cacheTag(view.id), "user:\(view.author.id)"]
            )
        }
        return bodies
    }

    /// The shared shape of `posts`, with `liked` false; posts whose author has no summary (banned, deleted) are left
    /// out.
    func render(_ posts: [StoredPost]) throws(HTTPError) -> [PostView] {
        guard !posts.isEmpty else { return [] }
        let authorIDs = Array(Set(posts.map(\.authorId)))
        let authors = try host.dispatchQuery(ProfilesQuery.summaries, payload: UserIDs(userIds: authorIDs), as: UserSummaryList.self)
        let byAuthor = Dictionary(authors.items.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let visible = posts.filter { byAuthor[$0.authorId] != nil }
        guard !visible.isEmpty else { return [] }
        let ids = PostIDs(postIds: visible.map(\.id))
        let media = try host.dispatchQuery(MediaQuery.forPosts, payload: ids, as: PostMediaList.self)
        let mediaByPost = Dictionary(media.items.map { ($0.postId, $0.media) }, uniquingKeysWith: { first, _ in first })
        let counts = try self.counts(ids)
        return visible.compactMap { post in
            guard let author = byAuthor[post.authorId] else { return nil }
            let postCounts = counts[post.id.description] ?? [:]
            return PostView(
                id: post.id,
                author: author,
                caption: post.caption,
                tags: post.tags,
                mentions: post.mentions,
                media: mediaByPost[post.id] ?? [],
                likeCount: postCounts["like_count"] ?? 0,
                commentCount: postCounts["comment_count"] ?? 0,
                liked: false,
                createdAt: post.createdAt,
                editedAt: post.editedAt
            )
        }
    }

    /// `{"<post id>": {"comment_count": n, ...}}` merged from every registered query of `count_queries`. A result of
    /// the wrong shape is that plugin's bug: logged and left out.
    private func counts(_ ids: PostIDs) throws(HTTPError) -> [String: [String: Int64]] {
        var merged: [String: [String: Int64]] = [:]
        for name in settings.countQueries {
            guard let json = try host.dispatchQueryIfRegistered(name, payload: ids) else { continue }
            guard let result = try? JSONDecoder().decode([String: [String: Int64]].self, from: Data(json.utf8)) else {
                host.log(.error, "count query '\(name)' answered \(json.prefix(200)); expected {\"<post id>\": {\"<name>\": integer}}")
                continue
            }
            for (post, values) in result { merged[post, default: [:]].merge(values) { _, new in new } }
        }
        return merged
    }

    /// `bodies` with `liked` set for the posts `viewer` likes, by the `liked_query` plugin when there is one.
    ///
    /// - Throws: ``WouldBlock`` when `canBlock` is false and the liked query may exist (a viewer's likes are not
    ///   cached here); ``HTTPError`` from it.
    func applyingLiked(_ posts: [RenderedPost], viewer: UserID?, canBlock: Bool) throws -> [RenderedPost] {
        guard let viewer, let name = settings.likedQuery, !likedQueryMissing.isSet, !posts.isEmpty else { return posts }
        guard canBlock else { throw WouldBlock() }
        let input = LikedPostsInput(userId: viewer, postIds: posts.map(\.id))
        guard let json = try host.dispatchQueryIfRegistered(name, payload: input) else {
            likedQueryMissing.set()
            return posts
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        guard let liked = try? decoder.decode(LikedPosts.self, from: Data(json.utf8)) else {
            host.log(.error, "liked query '\(name)' answered \(json.prefix(200)); expected {\"post_ids\": [...]}")
            return posts
        }
        let likedIDs = Set(liked.postIds)
        return posts.map { post in
            guard likedIDs.contains(post.id) else { return post }
            // The key is unique in a post's JSON (no nested shape has it, and quotes inside strings are escaped), so
            // replacing its one occurrence is exact.
            let text = String(decoding: post.body, as: UTF8.self).replacingOccurrences(of: "\"liked\":false", with: "\"liked\":true")
            return RenderedPost(id: post.id, body: Array(text.utf8))
        }
    }

    /// The users mentioned by `handles` (lowercased), in that order: unknown and banned handles are left as text.
    func mentions(_ handles: [String]) throws(HTTPError) -> [Mention] {
        guard !handles.isEmpty else { return [] }
        let accounts = try host.dispatchQuery(AuthQuery.publicAccounts, payload: AccountsLookup(handles: handles), as: PublicAccountList.self)
        let byHandle = Dictionary(accounts.items.filter { !$0.banned }.map { ($0.handle.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
        return handles.compactMap { byHandle[$0].map { Mention(id: $0.id, handle: $0.handle) } }
    }
}

/// A post's JSON body, with its id.
struct RenderedPost: Sendable {
    var id: PostID
    var body: [UInt8]
}

/// What `liked_query` is asked: `{"user_id", "post_ids"}`.
struct LikedPostsInput: Codable, Sendable {
    var userId: UserID
    var postIds: [PostID]
}

/// What `liked_query` answers: `{"post_ids": [...]}`, the ones the user likes.
struct LikedPosts: Codable, Sendable {
    var postIds: [PostID]
}
