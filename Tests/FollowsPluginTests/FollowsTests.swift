import Foundation
import ImageAppTesting
import Testing

/// Follows: idempotent verbs with exact counts, relationships on profiles, lists, limits, account deletion.
@Suite(.timeLimit(.minutes(12)))
struct FollowsTests {
    /// A host with auth, profiles and follows (`lines` are extra `[plugins.follows]` settings).
    private func withFollows(_ lines: String = "", host: String = "", _ body: (AccountsHost) async throws -> Void) async throws {
        try await withAccounts(
            auth: "signup_per_ip_limit = 1000",
            host: host,
            plugins: { _ in "[plugins.follows]\nenabled = true\n\(lines)\n" },
            body
        )
    }

    @Test func followingIsIdempotentAndCountsAndRelationshipsShowAtOnce() async throws {
        try await withFollows { accounts in
            let (ann, annID, _) = try await accounts.register("ann")
            let (bob, _, _) = try await accounts.register("bob")
            let (cyd, _, _) = try await accounts.register("cyd")
            // Cached before the follows, so that the counts below are the invalidation's work.
            #expect(
                try await accounts.send("GET", "/api/v1/users/ann").json["counts"] as? [String: Int] == ["posts": 0, "followers": 0, "following": 0]
            )
            #expect((try await accounts.send("GET", "/api/v1/me", token: bob).json["counts"] as? [String: Int])?["following"] == 0)

            for (token, expected) in [(bob, 1), (bob, 1), (cyd, 2)] {
                let followed = try await accounts.send("PUT", "/api/v1/users/ANN/follow", token: token)
                #expect(followed.status == 200, "\(followed.text)")
                #expect(followed.json["following"] as? Bool == true)
                #expect(followed.json["followers_count"] as? Int == expected)
            }
            let profile = try await accounts.send("GET", "/api/v1/users/ann", token: bob)
            #expect((profile.json["counts"] as? [String: Int])?["followers"] == 2)
            #expect(profile.json["relationship"] as? [String: Bool] == ["following": true, "followed_by": false])
            #expect(profile.headers["cache-control"] == "private")
            #expect((try await accounts.send("GET", "/api/v1/me", token: bob).json["counts"] as? [String: Int])?["following"] == 1)
            // No relationship for an anonymous viewer or on your own profile.
            #expect(try await accounts.send("GET", "/api/v1/users/ann").json["relationship"] == nil)
            #expect(try await accounts.send("GET", "/api/v1/users/ann", token: ann).json["relationship"] == nil)

            #expect(try await accounts.send("PUT", "/api/v1/users/bob/follow", token: ann).status == 200)
            let mutual = try await accounts.send("GET", "/api/v1/users/ann", token: bob)
            #expect(mutual.json["relationship"] as? [String: Bool] == ["following": true, "followed_by": true])

            for _ in 0..<2 {
                let unfollowed = try await accounts.send("DELETE", "/api/v1/users/ann/follow", token: bob)
                #expect(unfollowed.status == 200, "\(unfollowed.text)")
                #expect(unfollowed.json["following"] as? Bool == false)
                #expect(unfollowed.json["followers_count"] as? Int == 1)
            }
            #expect((try await accounts.send("GET", "/api/v1/users/ann").json["counts"] as? [String: Int])?["followers"] == 1)
            let after = try await accounts.send("GET", "/api/v1/users/ann", token: bob)
            #expect(after.json["relationship"] as? [String: Bool] == ["following": false, "followed_by": true])

            // One event per change, none for the repeats.
            let url = accounts.database.url
            let created = try PostgresProbe.strings(url, "SELECT payload FROM ia_outbox WHERE type = 'follow.created' ORDER BY id")
            #expect(created.count == 3)
            #expect(created.first?.contains("\"followee_id\":\"\(annID)\"") == true)
            #expect(try PostgresProbe.strings(url, "SELECT count(*) FROM ia_outbox WHERE type = 'follow.deleted'") == ["1"])
        }
    }

    @Test func refusalsAreClearErrors() async throws {
        try await withFollows("max_following = 2") { accounts in
            let (ann, _, _) = try await accounts.register("ann")
            for handle in ["bob", "cyd", "dee"] { try await accounts.register(handle) }

            let anonymous = try await accounts.send("PUT", "/api/v1/users/bob/follow")
            #expect(anonymous.status == 401)
            let myself = try await accounts.send("PUT", "/api/v1/users/ann/follow", token: ann)
            #expect(myself.status == 422)
            #expect(myself.errorCode == "cannot_follow_self")
            for path in ["nobody", "no%20such", "%E2%80%AEevil", String(repeating: "a", count: 65)] {
                let unknown = try await accounts.send("PUT", "/api/v1/users/\(path)/follow", token: ann)
                #expect(unknown.status == 404, "\(path): \(unknown.text)")
                #expect(unknown.errorCode == "user_not_found")
            }

            #expect(try await accounts.send("PUT", "/api/v1/users/bob/follow", token: ann).status == 200)
            #expect(try await accounts.send("PUT", "/api/v1/users/cyd/follow", token: ann).status == 200)
            let third = try await accounts.send("PUT", "/api/v1/users/dee/follow", token: ann)
            #expect(third.status == 422)
            #expect(third.errorCode == "following_limit_reached")
            // At the limit, a repeat of an existing follow is still fine, and unfollowing makes room.
            #expect(try await accounts.send("PUT", "/api/v1/users/bob/follow", token: ann).status == 200)
            #expect(try await accounts.send("DELETE", "/api/v1/users/bob/follow", token: ann).status == 200)
            #expect(try await accounts.send("PUT", "/api/v1/users/dee/follow", token: ann).status == 200)

            // A banned user cannot be followed, listed or seen; lists leave banned followers out.
            let admin = try await accounts.createAdmin("boss")
            #expect(try await accounts.send("PUT", "/api/v1/users/ann/follow", token: try await accounts.register("eve").token).status == 200)
            #expect(try await accounts.send("POST", "/api/v1/admin/users/eve/ban", json: ["reason": "spam"], token: admin).status == 200)
            let banned = try await accounts.send("PUT", "/api/v1/users/eve/follow", token: ann)
            #expect(banned.status == 404)
            #expect(try await accounts.send("GET", "/api/v1/users/eve/followers").status == 404)
            #expect(try await accounts.send("GET", "/api/v1/users/ann/followers").json["items"] as? [Any] != nil)
            let followers = try await accounts.send("GET", "/api/v1/users/ann/followers").json["items"] as? [[String: Any]]
            #expect(followers?.isEmpty == true)

            let badCursor = try await accounts.send("GET", "/api/v1/users/ann/following?cursor=nope&limit=0")
            #expect(badCursor.status == 422)
            #expect(badCursor.errorCode == "validation_failed")
        }
    }

    @Test func listsAreNewestFirstAndPaged() async throws {
        try await withFollows { accounts in
            let (ann, _, _) = try await accounts.register("ann")
            var tokens: [String: String] = [:]
            for handle in ["bob", "cyd", "dee"] { tokens[handle] = try await accounts.register(handle).token }
            for handle in ["bob", "cyd", "dee"] {
                #expect(try await accounts.send("PUT", "/api/v1/users/ann/follow", token: tokens[handle]).status == 200)
                #expect(try await accounts.send("PUT", "/api/v1/users/\(handle)/follow", token: ann).status == 200)
            }
            for (list, expected) in [("followers", ["dee", "cyd", "bob"]), ("following", ["dee", "cyd", "bob"])] {
                var seen: [String] = []
                var cursor: String?
                repeat {
                    let query = "limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
                    let page = try await accounts.send("GET", "/api/v1/users/ann/\(list)?\(query)")
                    #expect(page.status == 200, "\(page.text)")
                    let items = page.json["items"] as? [[String: Any]] ?? []
                    #expect(items.allSatisfy { $0.keys.sorted() == ["avatar_url", "display_name", "handle", "id"] })
                    seen += items.compactMap { $0["handle"] as? String }
                    cursor = page.json["next_cursor"] as? String
                } while cursor != nil && seen.count < 10
                #expect(seen == expected, "\(list)")
            }
        }
    }

    @Test func listsTellASignedInViewerWhomTheyFollowAndWhoFollowsThem() async throws {
        try await withFollows { accounts in
            let (ann, _, _) = try await accounts.register("ann")
            var tokens: [String: String] = [:]
            for handle in ["bob", "cyd", "dee"] { tokens[handle] = try await accounts.register(handle).token }
            // bob, cyd and dee follow ann; ann follows bob back; dee follows cyd.
            for handle in ["bob", "cyd", "dee"] {
                #expect(try await accounts.send("PUT", "/api/v1/users/ann/follow", token: tokens[handle]).status == 200)
            }
            #expect(try await accounts.send("PUT", "/api/v1/users/bob/follow", token: ann).status == 200)
            #expect(try await accounts.send("PUT", "/api/v1/users/cyd/follow", token: tokens["dee"]).status == 200)

            func relationships(_ path: String, token: String?) async throws -> (relationships: [String: [String: Bool]], cache: String?) {
                let page = try await accounts.send("GET", path, token: token)
                #expect(page.status == 200, "\(page.text)")
                var found: [String: [String: Bool]] = [:]
                for item in page.json["items"] as? [[String: Any]] ?? [] {
                    guard let handle = item["handle"] as? String else { continue }
                    found[handle] = item["relationship"] as? [String: Bool] ?? [:]
                }
                return (found, page.headers["cache-control"])
            }
            // ann looks at her followers: she follows bob back; all three follow her.
            let asAnn = try await relationships("/api/v1/users/ann/followers", token: ann)
            #expect(asAnn.relationships["bob"] == ["following": true, "followed_by": true])
            #expect(asAnn.relationships["cyd"] == ["following": false, "followed_by": true])
            #expect(asAnn.relationships["dee"] == ["following": false, "followed_by": true])
            #expect(asAnn.cache?.contains("private") == true, "\(asAnn.cache ?? "none")")
            // dee looks at the same list: she follows cyd, nobody there follows her, and her own entry has none.
            let asDee = try await relationships("/api/v1/users/ann/followers", token: tokens["dee"])
            #expect(asDee.relationships["cyd"] == ["following": true, "followed_by": false])
            #expect(asDee.relationships["bob"] == ["following": false, "followed_by": false])
            #expect(asDee.relationships["dee"] == [:])
            // Anonymous: summaries alone.
            let anonymous = try await relationships("/api/v1/users/ann/followers", token: nil)
            #expect(anonymous.relationships.values.allSatisfy { $0.isEmpty })
            #expect(anonymous.relationships.count == 3)
        }
    }

    @Test func mutualFollowsAtOnceKeepExactCounts() async throws {
        try await withFollows { accounts in
            let (_, _, _) = try await accounts.register("star")
            var tokens: [String] = []
            for index in 0..<24 { tokens.append(try await accounts.register("fan\(index)").token) }
            // Everyone follows the star and each other's neighbour at once, twice: deadlocks or lost updates would
            // show as errors or wrong counts.
            try await withThrowingTaskGroup(of: Int.self) { group in
                for (index, token) in tokens.enumerated() {
                    for path in ["star", "fan\((index + 1) % tokens.count)", "star", "fan\((index + tokens.count - 1) % tokens.count)"] {
                        group.addTask { try await accounts.send("PUT", "/api/v1/users/\(path)/follow", token: token).status }
                    }
                }
                for try await status in group { #expect(status == 200) }
            }
            #expect((try await accounts.send("GET", "/api/v1/users/star").json["counts"] as? [String: Int])?["followers"] == 24)
            let fan = try await accounts.send("GET", "/api/v1/users/fan3").json["counts"] as? [String: Int]
            #expect(fan?["followers"] == 2)
            #expect(fan?["following"] == 3)
        }
    }

    /// A list's summaries come from `profiles.summaries`, a query that asks `auth.public_accounts`: the inner query
    /// runs on the outer one's connection, so many lists at once on a small pool cannot all hold a connection while
    /// waiting for a second one (they did, until the pool's timeout).
    @Test func manyListsAtOnceOnASmallPoolNeverDeadlock() async throws {
        try await withFollows(host: "database_pool_size = 2\nworker_threads = 16") { accounts in
            let (ann, _, _) = try await accounts.register("ann")
            let (bob, _, _) = try await accounts.register("bob")
            #expect(try await accounts.send("PUT", "/api/v1/users/bob/follow", token: ann).status == 200)
            #expect(try await accounts.send("PUT", "/api/v1/users/ann/follow", token: bob).status == 200)
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for index in 0..<48 {
                    group.addTask {
                        let page = try await accounts.send("GET", "/api/v1/users/\(index % 2 == 0 ? "ann" : "bob")/followers")
                        return (page.status, (page.json["items"] as? [Any])?.count ?? -1)
                    }
                }
                for try await (status, count) in group {
                    #expect(status == 200)
                    #expect(count == 1)
                }
            }
            // Far below the pool's 10 s wait, which a deadlock would have run into.
            #expect(ContinuousClock.now - started < .seconds(8))
        }
    }

    @Test func deletingAnAccountRemovesBothDirections() async throws {
        try await withFollows { accounts in
            let (ann, _, _) = try await accounts.register("ann")
            let (bob, _, _) = try await accounts.register("bob")
            try await accounts.register("cyd")
            #expect(try await accounts.send("PUT", "/api/v1/users/bob/follow", token: ann).status == 200)
            #expect(try await accounts.send("PUT", "/api/v1/users/cyd/follow", token: bob).status == 200)
            #expect(try await accounts.send("PUT", "/api/v1/users/ann/follow", token: bob).status == 200)
            #expect((try await accounts.send("GET", "/api/v1/users/ann").json["counts"] as? [String: Int])?["following"] == 1)

            let deleted = try await accounts.send("DELETE", "/api/v1/me", json: ["password": "correct horse battery"], token: bob)
            #expect(deleted.status == 204, "\(deleted.text)")
            let annCounts = try await eventually(
                {
                    try await accounts.send("GET", "/api/v1/users/ann").json["counts"] as? [String: Int]
                },
                until: { $0?["following"] == 0 && $0?["followers"] == 0 }
            )
            #expect(annCounts?["following"] == 0)
            #expect(annCounts?["followers"] == 0)
            #expect((try await accounts.send("GET", "/api/v1/users/cyd").json["counts"] as? [String: Int])?["followers"] == 0)
            #expect((try await accounts.send("GET", "/api/v1/users/ann/following").json["items"] as? [Any])?.isEmpty == true)
            #expect(try PostgresProbe.strings(accounts.database.url, "SELECT count(*) FROM follows") == ["0"])
        }
    }
}
