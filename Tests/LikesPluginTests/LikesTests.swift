import Foundation
import ImageAppTesting
import Testing

/// Likes: idempotent verbs, counts exact at once, the write-behind flush exactly once, rebuilds, deletions.
@Suite(.timeLimit(.minutes(12)))
struct LikesTests {
    /// A host with likes flushing every 200 ms (and sign-ups enough for a crowd).
    private func withLikes(_ body: (AccountsHost) async throws -> Void) async throws {
        try await withPosts(
            auth: "signup_per_ip_limit = 1000",
            plugins: { resources in
                "[plugins.likes]\nenabled = true\nflush_interval_ms = 200\nredis_prefix = \"\(resources.namespace):likes\"\n"
            },
            body
        )
    }

    @Test func likingIsIdempotentAndCountsShowAtOnce() async throws {
        try await withLikes { accounts in
            let (ann, _, _) = try await accounts.register("ann")
            let (bob, bobID, _) = try await accounts.register("bob")
            let (cyd, _, _) = try await accounts.register("cyd")
            let post = try await accounts.publish(token: ann)
            #expect(try await accounts.send("GET", "/api/v1/posts/\(post)").json["like_count"] as? Int == 0)

            for (token, expected) in [(bob, 1), (bob, 1), (cyd, 2)] {
                let liked = try await accounts.send("PUT", "/api/v1/posts/\(post)/like", token: token)
                #expect(liked.status == 200, "\(liked.text)")
                #expect(liked.json["liked"] as? Bool == true)
                #expect(liked.json["like_count"] as? Int == expected)
            }
            // Every reader sees the count at once; `liked` is each viewer's own.
            let asBob = try await accounts.send("GET", "/api/v1/posts/\(post)", token: bob)
            #expect(asBob.json["like_count"] as? Int == 2)
            #expect(asBob.json["liked"] as? Bool == true)
            #expect(try await accounts.send("GET", "/api/v1/posts/\(post)", token: ann).json["liked"] as? Bool == false)
            #expect(try await accounts.send("GET", "/api/v1/posts/\(post)").json["liked"] as? Bool == false)
            let list = try await accounts.send("GET", "/api/v1/users/ann/posts", token: cyd)
            #expect((list.json["items"] as? [[String: Any]])?.first?["liked"] as? Bool == true)

            // Who likes it: newest first, paged.
            let first = try await accounts.send("GET", "/api/v1/posts/\(post)/likes?limit=1")
            #expect((first.json["items"] as? [[String: Any]])?.first?["handle"] as? String == "cyd")
            let cursor = try #require(first.json["next_cursor"] as? String)
            let second = try await accounts.send("GET", "/api/v1/posts/\(post)/likes?limit=1&cursor=\(cursor)")
            #expect((second.json["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [bobID])
            #expect(second.json["next_cursor"] is NSNull)

            for _ in 0..<2 {
                let unliked = try await accounts.send("DELETE", "/api/v1/posts/\(post)/like", token: bob)
                #expect(unliked.json["liked"] as? Bool == false)
                #expect(unliked.json["like_count"] as? Int == 1)
            }
            #expect(try await accounts.send("GET", "/api/v1/posts/\(post)", token: bob).json["liked"] as? Bool == false)
            expectRefusal(try await accounts.send("PUT", "/api/v1/posts/\(post)/like"), 401, "unauthorized")
            expectRefusal(try await accounts.send("PUT", "/api/v1/posts/999999/like", token: bob), 404, "post_not_found")
            expectRefusal(try await accounts.send("GET", "/api/v1/posts/999999/likes"), 404, "post_not_found")
        }
    }

    @Test func concurrentLikesAndRepeatsCommitTogetherAndCountExactly() async throws {
        try await withLikes { accounts in
            let (ann, _, _) = try await accounts.register("ann")
            let post = try await accounts.publish(token: ann)
            var keepers: [String] = []
            var leavers: [String] = []
            for index in 0..<40 {
                let (token, _, _) = try await accounts.register("fan\(index)")
                if index < 30 { keepers.append(token) } else { leavers.append(token) }
            }
            // Everyone at once, each in their own order: the keepers like, like again, take it back and like; the
            // leavers like and take it back. Requests waiting together are committed together, one change per pair.
            let path = "/api/v1/posts/\(post)/like"
            let statuses = try await withThrowingTaskGroup(of: [Int].self) { group in
                for token in keepers {
                    group.addTask {
                        var seen: [Int] = []
                        for verb in ["PUT", "PUT", "DELETE", "PUT"] { seen.append(try await accounts.send(verb, path, token: token).status) }
                        return seen
                    }
                }
                for token in leavers {
                    group.addTask {
                        var seen: [Int] = []
                        for verb in ["PUT", "DELETE"] { seen.append(try await accounts.send(verb, path, token: token).status) }
                        return seen
                    }
                }
                return try await group.reduce(into: [Int]()) { $0 += $1 }
            }
            let failed: [Int] = statuses.filter { $0 != 200 }
            #expect(statuses.count == 140)
            #expect(failed.isEmpty, "\(failed)")
            #expect(try await accounts.send("GET", "/api/v1/posts/\(post)").json["like_count"] as? Int == 30)
            for token in keepers.prefix(3) {
                #expect(try await accounts.send("GET", "/api/v1/posts/\(post)", token: token).json["liked"] as? Bool == true)
            }
            #expect(try await accounts.send("GET", "/api/v1/posts/\(post)", token: leavers[0]).json["liked"] as? Bool == false)
            let url = accounts.database.url
            #expect(try PostgresProbe.strings(url, "SELECT count(*) FROM likes WHERE post_id = \(post)") == ["30"])
            let flushed = try await eventually {
                try PostgresProbe.strings(url, "SELECT count FROM like_counts WHERE post_id = \(post)")
            } until: {
                $0 == ["30"]
            }
            #expect(flushed == ["30"])
        }
    }

    @Test func aBatchAnswersEachRequestForItsOwnPost() async throws {
        try await withLikes { accounts in
            let (ann, _, _) = try await accounts.register("ann")
            let live = try await accounts.publish(token: ann)
            let gone = try await accounts.publish(token: ann)
            #expect(try await accounts.send("DELETE", "/api/v1/posts/\(gone)", token: ann).status == 204)
            var fans: [String] = []
            for index in 0..<24 { fans.append(try await accounts.register("fan\(index)").token) }
            // Likes of a live post and of a deleted one arrive together and share batches: each request gets its own
            // post's answer, and only the live post's likes are rows.
            let answers = try await withThrowingTaskGroup(of: (Bool, HTTPResult).self) { group in
                for (index, token) in fans.enumerated() {
                    let post = index.isMultiple(of: 2) ? live : gone
                    group.addTask { (post == live, try await accounts.send("PUT", "/api/v1/posts/\(post)/like", token: token)) }
                }
                return try await group.reduce(into: [(Bool, HTTPResult)]()) { $0.append($1) }
            }
            for (isLive, answer) in answers {
                if isLive {
                    #expect(answer.status == 200)
                    #expect(answer.json["liked"] as? Bool == true)
                    #expect((answer.json["like_count"] as? Int ?? 0) >= 1)
                } else {
                    expectRefusal(answer, 404, "post_not_found")
                }
            }
            let url = accounts.database.url
            #expect(try PostgresProbe.strings(url, "SELECT count(*) FROM likes WHERE post_id = \(live)") == ["12"])
            #expect(try PostgresProbe.strings(url, "SELECT count(*) FROM likes WHERE post_id = \(gone)") == ["0"])
            #expect(try await accounts.send("GET", "/api/v1/posts/\(live)").json["like_count"] as? Int == 12)
        }
    }

    @Test func theFlushReachesPostgreSQLExactlyOnceEvenAfterACrash() async throws {
        try await withLikes { accounts in
            let (ann, _, _) = try await accounts.register("ann")
            let post = try await accounts.publish(token: ann)
            for name in ["bob", "cyd", "dee"] {
                let (token, _, _) = try await accounts.register(name)
                #expect(try await accounts.send("PUT", "/api/v1/posts/\(post)/like", token: token).status == 200)
            }
            let url = accounts.database.url
            let flushed = try await eventually {
                try PostgresProbe.strings(url, "SELECT count FROM like_counts WHERE post_id = \(post)")
            } until: {
                $0 == ["3"]
            }
            #expect(flushed == ["3"])

            // A worker that died after committing a batch but before deleting it from Redis: the batch is left
            // behind with its id, already recorded. The next run must drop it, not count it again.
            let prefix = "\(accounts.namespace):likes"
            _ = try PostgresProbe.execute(url, "INSERT INTO likes_flushes (flush_id) VALUES ('crashed-after-commit')")
            _ = RedisKeys.run(["HSET", "\(prefix):flushing", post, "3"])
            _ = RedisKeys.run(["SET", "\(prefix):flushing_id", "crashed-after-commit"])
            let dropped = try await eventually {
                RedisKeys.run(["EXISTS", "\(prefix):flushing"])
            } until: {
                $0?.first == "0"
            }
            #expect(dropped?.first == "0")
            #expect(try PostgresProbe.strings(url, "SELECT count FROM like_counts WHERE post_id = \(post)") == ["3"])

            // One that died before committing: the batch is applied once.
            _ = RedisKeys.run(["HSET", "\(prefix):flushing", post, "2"])
            _ = RedisKeys.run(["SET", "\(prefix):flushing_id", "crashed-before-commit"])
            let applied = try await eventually {
                try PostgresProbe.strings(url, "SELECT count FROM like_counts WHERE post_id = \(post)")
            } until: {
                $0 == ["5"]
            }
            #expect(applied == ["5"])
            try await Task.sleep(for: .milliseconds(600))
            #expect(try PostgresProbe.strings(url, "SELECT count FROM like_counts WHERE post_id = \(post)") == ["5"])
        }
    }

    @Test func countsComeBackWhenRedisLosesThem() async throws {
        try await withLikes { accounts in
            let (ann, _, _) = try await accounts.register("ann")
            let (bob, _, _) = try await accounts.register("bob")
            let (cyd, _, _) = try await accounts.register("cyd")
            let post = try await accounts.publish(token: ann)
            #expect(try await accounts.send("PUT", "/api/v1/posts/\(post)/like", token: bob).json["like_count"] as? Int == 1)
            RedisKeys.deleteAll(prefix: "\(accounts.namespace):likes:count:")
            RedisKeys.deleteAll(prefix: "\(accounts.namespace):likes:gen:")
            #expect(try await accounts.send("PUT", "/api/v1/posts/\(post)/like", token: cyd).json["like_count"] as? Int == 2)
            #expect(try await accounts.send("PUT", "/api/v1/posts/\(post)/like", token: bob).json["like_count"] as? Int == 2)
        }
    }

    @Test func likesGoWithTheirPostAndWithDeletedAccounts() async throws {
        try await withLikes { accounts in
            let (ann, _, _) = try await accounts.register("ann")
            let (bob, _, _) = try await accounts.register("bob")
            let (cyd, _, _) = try await accounts.register("cyd")
            let kept = try await accounts.publish(token: ann)
            let doomed = try await accounts.publish(token: ann)
            for token in [bob, cyd] {
                for post in [kept, doomed] {
                    #expect(try await accounts.send("PUT", "/api/v1/posts/\(post)/like", token: token).status == 200)
                }
            }
            #expect(try await accounts.send("DELETE", "/api/v1/posts/\(doomed)", token: ann).status == 204)
            let url = accounts.database.url
            let gone = try await eventually {
                try PostgresProbe.strings(url, "SELECT count(*) FROM likes WHERE post_id = \(doomed)")
            } until: {
                $0 == ["0"]
            }
            #expect(gone == ["0"])

            #expect(try await accounts.send("DELETE", "/api/v1/me", json: ["password": "correct horse battery"], token: cyd).status == 204)
            let count = try await eventually {
                try await accounts.send("GET", "/api/v1/posts/\(kept)").json["like_count"] as? Int
            } until: {
                $0 == 1
            }
            #expect(count == 1)
        }
    }
}
