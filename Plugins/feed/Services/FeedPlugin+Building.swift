import AuthContract
import FollowsContract
import ImageAppPlugin
import MediaContract
import PluginSupport
import PostsContract

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// Everything that asks other plugins in order to fill feeds: followers, followees, recent posts. Without a follows
// plugin nobody follows anybody (own posts only).

extension FeedPlugin {
    /// How many follow `user` (`follows.profile_counts`); 0 without a follows plugin.
    func followersCount(_ user: UserID) throws(HTTPError) -> Int64 {
        guard let json = try host.dispatchQueryIfRegistered(FollowsQuery.profileCounts, payload: UserRef(userId: user)) else { return 0 }
        struct Counts: Decodable { var followers: Int64? }
        return (try? JSONDecoder().decode(Counts.self, from: Data(json.utf8)))?.followers ?? 0
    }

    /// Calls `body` with `author`'s followers in ascending batches of `fanout_batch`.
    func forEachFollowerBatch(_ author: UserID, _ body: ([UserID]) throws -> Void) throws {
        var after: UserID?
        while true {
            let slice = FollowersSlice(userId: author, afterId: after, limit: FollowsLimits.followersPerSlice)
            guard let json = try host.dispatchQueryIfRegistered(FollowsQuery.followerIDs, payload: slice) else { return }
            let ids = try Self.followerIDs(json) ?? Self.decode(FollowerIDs.self, json).userIds
            var start = 0
            while start < ids.count {
                let end = min(start + settings.fanoutBatch, ids.count)
                try body(Array(ids[start..<end]))
                start = end
            }
            guard ids.count == FollowsLimits.followersPerSlice, let last = ids.last else { return }
            after = last
        }
    }

    /// Everyone `user` follows, with their follower counts; none without a follows plugin.
    func followees(_ user: UserID) throws(HTTPError) -> [Followees.Item] {
        guard let json = try host.dispatchQueryIfRegistered(FollowsQuery.followees, payload: UserRef(userId: user)) else { return [] }
        do {
            return try Self.decode(Followees.self, json).items
        } catch {
            host.log(.error, "follows.followees answered something else: \(json.prefix(200))")
            throw .internalError
        }
    }

    /// The newest posts of `authors` (`nil`: everyone's) older than `before`, newest first.
    func recentPosts(_ authors: [UserID]?, before: PostID? = nil, limit: Int) throws(HTTPError) -> [PostID] {
        guard limit > 0 else { return [] }
        var found: [PostID] = []
        if let authors {
            var start = 0
            while start < authors.count {
                let end = min(start + PostsLimits.authorsPerQuery, authors.count)
                let input = RecentPostsInput(authorIds: Array(authors[start..<end]), before: before, limit: limit)
                found += try host.dispatchQuery(PostsQuery.recentByAuthors, payload: input, as: PostIDs.self).postIds
                start = end
            }
            if authors.count > PostsLimits.authorsPerQuery { found = Array(found.sorted(by: >).prefix(limit)) }
        } else {
            let input = RecentPostsInput(authorIds: nil, before: before, limit: limit)
            found = try host.dispatchQuery(PostsQuery.recentByAuthors, payload: input, as: PostIDs.self).postIds
        }
        return found
    }

    /// Builds `user`'s home feed from PostgreSQL: the newest `max_entries` posts of the accounts they follow that
    /// are fanned out, and their own; the large ones they follow are recorded for the pull. The built marker is
    /// written first, so that posts fanned out meanwhile land (the merge is a union); a failure removes it again.
    func rebuild(_ user: UserID) throws {
        let home = store.homeKey(user)
        try store.merge([], into: home, max: settings.maxEntries, create: true, ttl: settings.activeSeconds)
        do {
            let followees = try followees(user)
            let large = followees.filter { $0.followersCount > settings.pullThreshold }.map(\.userId)
            let pushed = followees.filter { $0.followersCount <= settings.pullThreshold }.map(\.userId) + [user]
            let posts = try recentPosts(pushed, limit: settings.maxEntries)
            try store.merge(posts, into: home, max: settings.maxEntries, create: true, ttl: settings.activeSeconds)
            try store.replaceLarge(large, for: user)
        } catch {
            try? store.delete([home])
            throw error
        }
    }

    /// Fills a large account's list of recent posts from PostgreSQL when Redis has none (marker first, as
    /// ``rebuild(_:)``).
    func ensureAuthorList(_ author: UserID) throws {
        let key = store.authorKey(author)
        guard try !store.exists(key) else { return }
        try store.merge([], into: key, max: settings.authorRecentPosts, create: true, ttl: nil)
        do {
            let posts = try recentPosts([author], limit: settings.authorRecentPosts)
            try store.merge(posts, into: key, max: settings.authorRecentPosts, create: true, ttl: nil)
        } catch {
            try? store.delete([key])
            throw error
        }
    }

    /// Drops `user`'s cached pages (their feed changed in a way they should see at once). A failure is logged: the
    /// pages expire within `page_cache_ms` anyway.
    func feedChanged(_ user: UserID) {
        do {
            try GuardedCache.changed(tag: Self.pageTag(user), host: host)
        } catch {
            host.log(.warning, "cannot invalidate the feed pages of user \(user): \(error)")
        }
    }

    /// The cache tag of `user`'s cached pages.
    static func pageTag(_ user: UserID) -> String { "feed:\(user)" }

    /// The ids of a `{"user_ids": ["1", "2", ...]}` answer, read by hand: a fan-out reads 10,000 a query, and a
    /// JSON decoder spends far longer on them than this scan of digit runs. `nil` for any other shape.
    static func followerIDs(_ json: String) -> [UserID]? {
        var utf8 = json.utf8[...]
        guard let open = utf8.firstIndex(of: UInt8(ascii: "[")), utf8[..<open].elementsEqual(#"{"user_ids":"#.utf8) else { return nil }
        utf8 = utf8[utf8.index(after: open)...]
        var ids: [UserID] = []
        var value: Int64 = 0
        var digits = 0
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let (times, overflow) = value.multipliedReportingOverflow(by: 10)
                guard !overflow, digits < 19 else { return nil }
                value = times + Int64(byte - UInt8(ascii: "0"))
                digits += 1
            case UInt8(ascii: "\""), UInt8(ascii: ","), UInt8(ascii: "]"), UInt8(ascii: "}"), UInt8(ascii: " "):
                if digits > 0 {
                    guard value > 0 else { return nil }
                    ids.append(UserID(value))
                }
                value = 0
                digits = 0
            default:
                return nil
            }
        }
        return ids
    }

    static func decode<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(type, from: Data(json.utf8))
    }
}
