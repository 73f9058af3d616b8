import Foundation
import ImageAppTesting
import Testing

/// Home feeds: fan-out on write to live feeds, the pull of large accounts, rebuilds from PostgreSQL, follow merges,
/// deletions, stable pagination, the page cache and `liked`.
@Suite(.timeLimit(.minutes(12)))
struct FeedTests {
    /// A host with likes, follows, realtime and feed (pages cached `pageCache` ms, 300 unless a test needs the
    /// default's checks of a cached first page; accounts with more than `pullThreshold` followers pulled).
    private func withFeed(pullThreshold: Int = 10_000, pageCache: Int = 300, _ body: (AccountsHost) async throws -> Void) async throws {
        try await withPosts(
            plugins: { resources in
                """
                [plugins.likes]
                enabled = true
                redis_prefix = "\(resources.namespace):likes"

                [plugins.follows]
                enabled = true

                [plugins.realtime]
                enabled = true

                [plugins.feed]
                enabled = true
                redis_prefix = "\(resources.namespace):feed"
                page_cache_ms = \(pageCache)
                pull_threshold = \(pullThreshold)
                """
            },
            body
        )
    }

    @Test func aPostReachesFollowersAndTheAuthorButNobodyElse() async throws {
        try await withFeed { accounts in
            let (ann, _, _) = try await accounts.register("ann")
            let (bob, _, _) = try await accounts.register("bob")
            let (cyd, _, _) = try await accounts.register("cyd")
            try await accounts.follow("ann", token: bob)
            for token in [ann, bob, cyd] { #expect(try await accounts.home(token).ids == []) }

            let post = try await accounts.publish(token: ann, caption: "hello")
            let bobs = try await eventually {
                try await accounts.home(bob).ids
            } until: {
                $0 == [post]
            }
            #expect(bobs == [post])
            let anns = try await eventually {
                try await accounts.home(ann).ids
            } until: {
                $0 == [post]
            }
            #expect(anns == [post], "own posts are in one's own feed")
            let page = try await accounts.home(bob)
            let item = try #require(page.items.first)
            #expect((item["author"] as? [String: Any])?["handle"] as? String == "ann")
            #expect(item["caption"] as? String == "hello")
            #expect(item["liked"] as? Bool == false)
            #expect(page.next == nil)
            #expect(try await accounts.home(cyd).ids == [])
            // Everyone's newest, anonymous too.
            #expect(try await accounts.page("/api/v1/feed/new", token: nil).ids == [post])
        }
    }

    @Test func aReturningUsersFeedIsRebuiltWithinTheFirstRequest() async throws {
        try await withFeed { accounts in
            let (ann, _, _) = try await accounts.register("ann")
            let (bob, bobID, _) = try await accounts.register("bob")
            try await accounts.follow("ann", token: bob)
            // Bob has never read his feed: nothing is pushed to him, and the first read builds it complete.
            var posts: [String] = []
            for index in 0..<3 { posts.append(try await accounts.publish(token: ann, caption: "p\(index)")) }
            let own = try await accounts.publish(token: bob)
            let expected = [own] + posts.reversed()
            #expect(try await accounts.home(bob).ids == expected)

            // Redis loses everything: the next read (once the cached page is gone) rebuilds the same feed.
            RedisKeys.deleteAll(prefix: "\(accounts.namespace):feed:")
            try await Task.sleep(for: .milliseconds(400))
            #expect(try await accounts.home(bob).ids == expected)
            #expect(zscore("\(accounts.namespace):feed:home:\(bobID)", "0") == "-1", "rebuilt, with the built marker")
            // An expired feed (unread for active_days) behaves the same.
            RedisKeys.deleteAll(prefix: "\(accounts.namespace):feed:home:")
            #expect(try await accounts.home(bob, limit: 2).ids == Array(expected.prefix(2)))
        }
    }

    @Test func largeAccountsArePulledAtReadTimeNotFannedOut() async throws {
        try await withFeed(pullThreshold: 2) { accounts in
            let (ann, annID, _) = try await accounts.register("ann")
            var followers: [(token: String, id: String)] = []
            for name in ["bob", "cyd", "dee"] {
                let (token, id, _) = try await accounts.register(name)
                try await accounts.follow("ann", token: token)
                #expect(try await accounts.home(token).ids == [])
                followers.append((token, id))
            }
            let (eve, _, _) = try await accounts.register("eve")
            try await accounts.follow("eve", token: followers[0].token)
            let first = try await accounts.publish(token: ann)
            let small = try await accounts.publish(token: eve)
            let second = try await accounts.publish(token: ann)
            for follower in followers {
                let expected = follower.id == followers[0].id ? [second, small, first] : [second, first]
                let ids = try await eventually {
                    try await accounts.home(follower.token).ids
                } until: {
                    $0 == expected
                }
                #expect(ids == expected)
            }
            // Pulled, not pushed: the followers' own sets do not hold ann's posts, the small account's post is pushed.
            let bobsKey = "\(accounts.namespace):feed:home:\(followers[0].id)"
            #expect(zscore(bobsKey, first) == nil)
            #expect(zscore(bobsKey, small) != nil)
            // Paging through the merge.
            let page = try await accounts.home(followers[0].token, limit: 2)
            #expect(page.ids == [second, small])
            #expect(try await accounts.home(followers[0].token, limit: 2, cursor: page.next).ids == [first])
            // The pull list survives a Redis loss.
            RedisKeys.deleteAll(prefix: "\(accounts.namespace):feed:")
            try await Task.sleep(for: .milliseconds(400))
            #expect(try await accounts.home(followers[1].token).ids == [second, first])
            #expect(zscore("\(accounts.namespace):feed:author:\(annID)", first) != nil)
        }
    }

    @Test func newPostsShowOnFirstPagesKeptInMemoryAtOnce() async throws {
        // Pages and their copies in memory live a minute here: only the fan-out's announcement can make them show a
        // new post within the wait below.
        try await withFeed(pullThreshold: 2, pageCache: 60_000) { accounts in
            let (ann, _, _) = try await accounts.register("ann")
            let (eve, _, _) = try await accounts.register("eve")
            var followers: [String] = []
            for name in ["bob", "cyd", "dee"] {
                let (token, _, _) = try await accounts.register(name)
                try await accounts.follow("ann", token: token)
                followers.append(token)
            }
            let bob = followers[0]
            try await accounts.follow("eve", token: bob)
            for _ in 0..<2 { #expect(try await accounts.home(bob).ids == []) }

            // A fanned-out post (eve is small).
            let small = try await accounts.publish(token: eve)
            let pushed = try await eventually(timeout: .seconds(8)) {
                try await accounts.home(bob).ids
            } until: {
                $0 == [small]
            }
            #expect(pushed == [small])

            // A pulled one (ann has more followers than the threshold): announced for every feed.
            #expect(try await accounts.home(followers[1]).ids == [])
            let pulled = try await accounts.publish(token: ann)
            let merged = try await eventually(timeout: .seconds(8)) {
                try await accounts.home(bob).ids
            } until: {
                $0 == [pulled, small]
            }
            #expect(merged == [pulled, small])
            let cyds = try await eventually(timeout: .seconds(8)) {
                try await accounts.home(followers[1]).ids
            } until: {
                $0 == [pulled]
            }
            #expect(cyds == [pulled])
        }
    }

    @Test func aFollowMergesRecentPostsAndAnUnfollowRemovesThem() async throws {
        try await withFeed { accounts in
            let (ann, _, _) = try await accounts.register("ann")
            let (bob, _, _) = try await accounts.register("bob")
            let old = try await accounts.publish(token: ann)
            let newer = try await accounts.publish(token: ann)
            let own = try await accounts.publish(token: bob)
            #expect(try await accounts.home(bob).ids == [own])
            try await accounts.follow("ann", token: bob)
            let merged = try await eventually {
                try await accounts.home(bob).ids
            } until: {
                $0 == [own, newer, old]
            }
            #expect(merged == [own, newer, old])
            let unfollowed = try await accounts.send("DELETE", "/api/v1/users/ann/follow", token: bob)
            #expect(unfollowed.status == 200, "\(unfollowed.text)")
            let left = try await eventually {
                try await accounts.home(bob).ids
            } until: {
                $0 == [own]
            }
            #expect(left == [own])
        }
    }

    @Test func aDeletedPostVanishesFromFeeds() async throws {
        try await withFeed { accounts in
            let (ann, _, _) = try await accounts.register("ann")
            let (bob, _, _) = try await accounts.register("bob")
            try await accounts.follow("ann", token: bob)
            #expect(try await accounts.home(bob).ids == [])
            let doomed = try await accounts.publish(token: ann)
            let kept = try await accounts.publish(token: ann)
            let both = try await eventually {
                try await accounts.home(bob).ids
            } until: {
                $0 == [kept, doomed]
            }
            #expect(both == [kept, doomed])
            #expect(try await accounts.send("DELETE", "/api/v1/posts/\(doomed)", token: ann).status == 204)
            // At once (the post's cache tag drops the cached page; posts.views leaves it out), and then from Redis.
            #expect(try await accounts.home(bob).ids == [kept])
            #expect(try await accounts.page("/api/v1/feed/new", token: nil).ids == [kept])
            let key = "\(accounts.namespace):feed:home:"
            let gone = try await eventually {
                RedisKeys.keys(prefix: key).allSatisfy { zscore($0, doomed) == nil }
            } until: {
                $0
            }
            #expect(gone)
        }
    }

    @Test func pagesNeitherRepeatNorSkipWhilePostsArrive() async throws {
        // Pages cached for a minute: a new post reaches a cached first page through its check of the feed's head.
        try await withFeed(pageCache: 60_000) { accounts in
            let (ann, _, _) = try await accounts.register("ann")
            let (bob, _, _) = try await accounts.register("bob")
            try await accounts.follow("ann", token: bob)
            #expect(try await accounts.home(bob).ids == [])
            var posts: [String] = []
            for _ in 0..<5 { posts.append(try await accounts.publish(token: ann)) }
            let all = try await eventually {
                try await accounts.home(bob).ids
            } until: {
                $0.count == 5
            }
            #expect(all == posts.reversed())

            var seen: [String] = []
            var page = try await accounts.home(bob, limit: 2)
            seen += page.ids
            while let cursor = page.next {
                // New posts keep arriving between pages: they belong to a fresh first page only.
                let arrived = try await accounts.publish(token: ann)
                _ = try await eventually {
                    try await accounts.home(bob, limit: 1).ids
                } until: {
                    $0 == [arrived]
                }
                page = try await accounts.home(bob, limit: 2, cursor: cursor)
                seen += page.ids
            }
            #expect(seen == posts.reversed())
            let newest = try await accounts.home(bob, limit: 40).ids
            #expect(newest.count == 5 + 2)
            #expect(Set(newest).count == newest.count)
        }
    }

    @Test func likedIsTheViewersOwnAndFreshOnCachedPages() async throws {
        try await withFeed(pageCache: 60_000) { accounts in
            let (ann, _, _) = try await accounts.register("ann")
            let (bob, _, _) = try await accounts.register("bob")
            try await accounts.follow("ann", token: bob)
            #expect(try await accounts.home(bob).ids == [])
            let post = try await accounts.publish(token: ann)
            _ = try await eventually {
                try await accounts.home(bob).ids
            } until: {
                $0 == [post]
            }
            // Read twice (cached), like, read again at once: the cached page is dropped with the post's tag.
            #expect(try await accounts.home(bob).items.first?["liked"] as? Bool == false)
            #expect(try await accounts.send("PUT", "/api/v1/posts/\(post)/like", token: bob).status == 200)
            let liked = try await accounts.home(bob).items.first
            #expect(liked?["liked"] as? Bool == true)
            #expect(liked?["like_count"] as? Int == 1)
            #expect(try await accounts.home(ann).items.first?["liked"] as? Bool == false)
            #expect(try await accounts.send("DELETE", "/api/v1/posts/\(post)/like", token: bob).status == 200)
            #expect(try await accounts.home(bob).items.first?["liked"] as? Bool == false)
        }
    }

    @Test func followersWithAStreamArePushedTheNewPost() async throws {
        try await withFeed { accounts in
            let (ann, _, _) = try await accounts.register("ann")
            let (bob, bobID, _) = try await accounts.register("bob")
            try await accounts.follow("ann", token: bob)
            #expect(try await accounts.home(bob).ids == [])
            let stream = try EventStreamClient(port: accounts.host.baseURL.port!, path: "/api/v1/stream", headers: ["Authorization": "Bearer \(bob)"])
            await stream.read(timeout: .seconds(10)) { $0.status != nil }
            #expect(stream.status == 200)
            let channel = "\(accounts.namespace):rt:realtime.user:\(bobID)"
            let subscribed = try await eventually {
                RedisKeys.run(["PUBSUB", "NUMSUB", channel])?.last ?? nil
            } until: {
                $0 == "1"
            }
            #expect(subscribed == "1")
            let post = try await accounts.publish(token: ann)
            await stream.read(timeout: .seconds(10)) { !$0.events("feed.post").isEmpty }
            let message = try #require(stream.events("feed.post").first)
            let json = try #require(try JSONSerialization.jsonObject(with: Data(message.data.utf8)) as? [String: Any])
            #expect(json["type"] as? String == "feed.post")
            #expect((json["data"] as? [String: Any])?["post_id"] as? String == post)
        }
    }

    @Test func badInputIsAJSONRefusal() async throws {
        try await withFeed { accounts in
            let (bob, _, _) = try await accounts.register("bob")
            expectRefusal(try await accounts.send("GET", "/api/v1/feed/home"), 401, "unauthorized")
            for query in ["limit=0", "limit=abc", "limit=-1", "cursor=zzz", "cursor=MTI"] {
                let response = try await accounts.send("GET", "/api/v1/feed/home?\(query)", token: bob)
                expectRefusal(response, 422, "validation_failed")
            }
            // A cursor of the other list (ids only) is not one of this list, and the other way round.
            let idCursor = Data("12345".utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
            expectRefusal(try await accounts.send("GET", "/api/v1/feed/home?cursor=\(idCursor)", token: bob), 422, "validation_failed")
            let timeCursor = Data("5.12345".utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
            expectRefusal(try await accounts.send("GET", "/api/v1/feed/new?cursor=\(timeCursor)"), 422, "validation_failed")
            expectRefusal(try await accounts.send("GET", "/api/v1/feed/new?limit=x"), 422, "validation_failed")
            #expect(try await accounts.send("GET", "/api/v1/feed/home?limit=500", token: bob).status == 200)
        }
    }
}

/// The score of `member` in the sorted set `key`; `nil` when it is not there.
func zscore(_ key: String, _ member: String) -> String? {
    RedisKeys.run(["ZSCORE", key, member])?.first.flatMap { $0 }
}

/// One page of a feed: the items, their ids and the next cursor.
struct FeedPage {
    var items: [[String: Any]]
    var next: String?
    var ids: [String] { items.compactMap { $0["id"] as? String } }
}

extension AccountsHost {
    /// `PUT /api/v1/users/{handle}/follow`.
    func follow(_ handle: String, token: String) async throws {
        let response = try await send("PUT", "/api/v1/users/\(handle)/follow", token: token)
        guard response.status == 200 else { throw HostProcessError(message: "follow \(handle): \(response.status) \(response.text)") }
    }

    /// A page of `GET /api/v1/feed/home`.
    func home(_ token: String, limit: Int? = nil, cursor: String? = nil) async throws -> FeedPage {
        var query: [String] = []
        if let limit { query.append("limit=\(limit)") }
        if let cursor { query.append("cursor=\(cursor)") }
        return try await page("/api/v1/feed/home" + (query.isEmpty ? "" : "?" + query.joined(separator: "&")), token: token)
    }

    /// A page of a feed route.
    func page(_ path: String, token: String?) async throws -> FeedPage {
        let response = try await send("GET", path, token: token)
        guard response.status == 200, let items = response.json["items"] as? [[String: Any]] else {
            throw HostProcessError(message: "\(path): \(response.status) \(response.text)")
        }
        return FeedPage(items: items, next: response.json["next_cursor"] as? String)
    }
}
