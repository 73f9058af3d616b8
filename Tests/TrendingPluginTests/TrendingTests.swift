import Foundation
import ImageAppTesting
import Testing

/// Trending: the order follows the documented formulas on a data set whose scores are known; banned authors,
/// deleted posts and old posts drop out; cursors stay on their ranking; hashtags trend against their baseline.
@Suite(.timeLimit(.minutes(12)))
struct TrendingTests {
    @Test func postsAreOrderedByDecayedEngagement() async throws {
        try await withTrending { accounts in
            let (ann, _, _) = try await accounts.register("ann")
            let (bob, _, _) = try await accounts.register("bob")
            let (cyd, _, _) = try await accounts.register("cyd")
            let (dee, _, _) = try await accounts.register("dee")
            let (eve, _, _) = try await accounts.register("eve")
            let (fay, _, _) = try await accounts.register("fay")
            let a = try await accounts.publish(token: ann)
            let b = try await accounts.publish(token: ann)
            let c = try await accounts.publish(token: bob)
            let d = try await accounts.publish(token: bob)
            let own = try await accounts.publish(token: ann)
            let old = try await accounts.publish(token: cyd)
            for token in [bob, cyd, dee] { try await accounts.like(token: token, a) }
            try await accounts.like(token: bob, b)
            try await accounts.comment(token: cyd, on: b, "nice")
            for token in [ann, cyd, dee, eve, fay] { try await accounts.like(token: token, c) }
            try await accounts.comment(token: eve, on: d, "wow")
            try await accounts.comment(token: bob, on: d, "my own post")  // the author's own: no score
            try await accounts.like(token: ann, own)  // the author's own: no score
            for token in [ann, bob] { try await accounts.like(token: token, old) }

            // Every engagement has reached the plugin's tables; then they get the ages of the data set.
            let counted = try await eventually {
                try accounts.strings("SELECT (SELECT count(*) FROM trending_engagements) || '/' || (SELECT count(*) FROM trending_posts)")
            } until: {
                $0 == ["15/6"]
            }
            #expect(counted == ["15/6"])
            try accounts.sql(
                """
                UPDATE trending_engagements SET created_at = now() - interval '10 minutes' WHERE post_id = \(a);
                UPDATE trending_engagements SET created_at = now() - interval '240 minutes' WHERE post_id = \(b) AND kind = 2;
                UPDATE trending_engagements SET created_at = now() - interval '240 minutes' WHERE post_id = \(c);
                UPDATE trending_engagements SET created_at = now() - interval '60 minutes' WHERE post_id = \(d);
                UPDATE trending_posts SET created_at = now() - interval '49 hours' WHERE post_id = \(old)
                """
            )
            let scores = [
                a: expectedScore(likeAges: [10, 10, 10], commentAges: []),  // 2.83
                b: expectedScore(likeAges: [0], commentAges: [240]),  // 1.5
                c: expectedScore(likeAges: [240, 240, 240, 240, 240], commentAges: []),  // 1.25
                d: expectedScore(likeAges: [], commentAges: [60]),  // 1.41
            ]
            // The order depends on both the decay (by counts alone C leads) and the comment weight (at 1, D is last).
            let expected = scores.keys.sorted { scores[$0]! > scores[$1]! }
            #expect(expected == [a, b, d, c])

            let ranked = try await eventually {
                try await accounts.trendingPage().ids
            } until: {
                $0 == expected
            }
            #expect(ranked == expected, "own \(own), old \(old)")
            #expect(accounts.rankedInRedis() == expected)

            // Pages of two; a cursor stays on its ranking when the job replaces it.
            let first = try await accounts.trendingPage(limit: 2)
            #expect(first.ids == [a, b])
            let cursor = try #require(first.next)
            try accounts.sql("UPDATE trending_engagements SET created_at = now() WHERE post_id = \(c)")
            let reordered = try await eventually {
                try await accounts.trendingPage(limit: 2).ids
            } until: {
                $0 == [c, a]
            }
            #expect(reordered == [c, a])
            let second = try await accounts.trendingPage(limit: 2, cursor: cursor)
            #expect(second.ids == [d, c])
            #expect(second.next == nil)
            // A signed-in reader sees their own `liked`.
            let asCyd = try await accounts.send("GET", "/api/v1/feed/trending", token: cyd)
            let liked = (asCyd.json["items"] as? [[String: Any]] ?? []).map { $0["liked"] as? Bool }
            #expect(liked == [true, true, false, false])

            // A banned author's posts drop out of the feed and, at the next computation, out of the ranking.
            let admin = try await accounts.createAdmin("boss")
            #expect(try await accounts.send("POST", "/api/v1/admin/users/ann/ban", json: ["reason": "spam"], token: admin).status == 200)
            let withoutAnn = try await eventually {
                accounts.rankedInRedis()
            } until: {
                $0 == [c, d]
            }
            #expect(withoutAnn == [c, d])
            let shownWithoutAnn = try await eventually {
                try await accounts.trendingPage().ids
            } until: {
                $0 == [c, d]
            }
            #expect(shownWithoutAnn == [c, d])

            // A deleted post too.
            #expect(try await accounts.send("DELETE", "/api/v1/posts/\(d)", token: bob).status == 204)
            let withoutD = try await eventually {
                accounts.rankedInRedis()
            } until: {
                $0 == [c]
            }
            #expect(withoutD == [c])
            let shownWithoutD = try await eventually {
                try await accounts.trendingPage().ids
            } until: {
                $0 == [c]
            }
            #expect(shownWithoutD == [c])
            #expect(try accounts.strings("SELECT count(*) FROM trending_engagements WHERE post_id = \(d)") == ["0"])

            // The unban brings Ann's posts back.
            #expect(try await accounts.send("POST", "/api/v1/admin/users/ann/unban", json: [String: String](), token: admin).status == 200)
            let back = try await eventually {
                try await accounts.trendingPage().ids
            } until: {
                $0 == [c, a, b]
            }
            #expect(back == [c, a, b])

            // A like taken back no longer counts.
            #expect(try await accounts.send("DELETE", "/api/v1/posts/\(a)/like", token: dee).status == 200)
            let likesOfA = try await eventually {
                try accounts.strings("SELECT count(*) FROM trending_engagements WHERE post_id = \(a)")
            } until: {
                $0 == ["2"]
            }
            #expect(likesOfA == ["2"])

            // A cursor whose ranking expired goes on at its position in the current one ([c, a, b]).
            let stale = Data("999999999.2".utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
            #expect(try await accounts.trendingPage(cursor: stale).ids == [b])
        }
    }

    @Test func hashtagsTrendAgainstTheirBaseline() async throws {
        try await withTrending { accounts in
            var users: [(token: String, id: String)] = []
            for name in ["uma", "vic", "wes", "xia", "yul"] {
                let (token, id, _) = try await accounts.register(name)
                users.append((token, id))
            }
            // #hot: 4 accounts today, never before; #steady: 5 today and 5 on each of the 7 days before; #rare: 2.
            for (index, user) in users.enumerated() {
                let caption = ["#hot #steady #rare", "#hot #steady #rare", "#hot #steady", "#hot #steady", "#steady"][index]
                _ = try await accounts.publish(token: user.token, caption: caption)
            }
            let uses = try await eventually {
                try accounts.strings("SELECT count(*) FROM trending_tag_uses")
            } until: {
                $0 == ["11"]
            }
            #expect(uses == ["11"])
            var rows: [String] = []
            for day in 1...7 {
                for (index, user) in users.enumerated() {
                    rows.append("('steady', \(-(day * 10 + index + 1)), \(user.id), now() - make_interval(days => \(day), hours => 1))")
                }
            }
            try accounts.sql("INSERT INTO trending_tag_uses (tag, post_id, user_id, created_at) VALUES \(rows.joined(separator: ", "))")

            // hot: 4 / (0 + 2) = 2; steady: 5 / (35 / 7 + 2) = 0.71; rare: under 3 accounts.
            let listed = try await eventually {
                try await accounts.send("GET", "/api/v1/tags/trending").json["items"] as? [[String: Any]] ?? []
            } until: {
                $0.compactMap { $0["tag"] as? String } == ["hot", "steady"] && ($0.last?["score"] as? Double ?? 1) < 1
            }
            #expect(listed.compactMap { $0["tag"] as? String } == ["hot", "steady"])
            #expect(listed.compactMap { $0["accounts"] as? Int } == [4, 5])
            let scores = listed.compactMap { $0["score"] as? Double }
            #expect(scores.count == 2 && abs(scores[0] - 2) < 0.01 && abs(scores[1] - 5.0 / 7) < 0.01, "\(scores)")
            let one = try await accounts.send("GET", "/api/v1/tags/trending?limit=1")
            #expect((one.json["items"] as? [[String: Any]])?.count == 1)

            // A banned account's uses do not count: #hot has 3 accounts left, #rare 1.
            let admin = try await accounts.createAdmin("boss")
            #expect(try await accounts.send("POST", "/api/v1/admin/users/uma/ban", json: ["reason": "spam"], token: admin).status == 200)
            let afterBan = try await eventually {
                try await accounts.send("GET", "/api/v1/tags/trending").json["items"] as? [[String: Any]] ?? []
            } until: {
                $0.compactMap { $0["accounts"] as? Int } == [3, 4]
            }
            #expect(afterBan.compactMap { $0["tag"] as? String } == ["hot", "steady"])
            #expect(afterBan.compactMap { $0["accounts"] as? Int } == [3, 4])
        }
    }

    @Test func badParametersAreRefused() async throws {
        try await withTrending { accounts in
            // Nothing computed yet, or nothing to rank: an empty page.
            let empty = try await accounts.send("GET", "/api/v1/feed/trending")
            #expect(empty.status == 200)
            #expect((empty.json["items"] as? [Any])?.isEmpty == true)
            #expect(empty.json["next_cursor"] is NSNull)
            expectRefusal(try await accounts.send("GET", "/api/v1/feed/trending?limit=zero"), 422, "validation_failed")
            expectRefusal(try await accounts.send("GET", "/api/v1/feed/trending?cursor=not-a-cursor"), 422, "validation_failed")
            expectRefusal(try await accounts.send("GET", "/api/v1/tags/trending?limit=0"), 422, "validation_failed")
            #expect(try await accounts.send("GET", "/api/v1/tags/trending").json["items"] as? [Any] != nil)
        }
    }
}
