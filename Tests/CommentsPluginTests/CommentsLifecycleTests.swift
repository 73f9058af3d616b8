import Foundation
import ImageAppTesting
import Testing

/// Comments follow their post and their author: they go with a deleted post or account, and hide with a ban.
@Suite(.timeLimit(.minutes(12)))
struct CommentsLifecycleTests {
    @Test func commentsGoWithTheirPost() async throws {
        try await withComments { accounts in
            let (ann, _, _) = try await accounts.register("ann")
            let (bob, _, _) = try await accounts.register("bob")
            let post = try await accounts.publish(token: ann)
            let kept = try await accounts.publish(token: ann)
            let top = try await accounts.commentID(token: bob, on: post, "first")
            _ = try await accounts.commentID(token: ann, on: post, "reply", parent: top)
            let other = try await accounts.commentID(token: bob, on: kept, "stays")

            #expect(try await accounts.send("DELETE", "/api/v1/posts/\(post)", token: ann).status == 204)
            expectRefusal(try await accounts.send("GET", "/api/v1/posts/\(post)/comments"), 404, "post_not_found")
            expectRefusal(try await accounts.comment(token: bob, on: post, "too late"), 404, "post_not_found")
            let left = try await eventually {
                try PostgresProbe.strings(accounts.database.url, "SELECT id::text FROM comments")
            } until: {
                $0 == [other]
            }
            #expect(left == [other])
            #expect(try await accounts.commentCount(of: kept) == 1)
        }
    }

    @Test func aDeletedAccountsCommentsGoAndCountsFollow() async throws {
        try await withComments { accounts in
            let (ann, _, _) = try await accounts.register("ann")
            let (bob, _, _) = try await accounts.register("bob")
            let (carl, _, _) = try await accounts.register("carl")
            let post = try await accounts.publish(token: ann)
            let second = try await accounts.publish(token: carl)
            let bobsTop = try await accounts.commentID(token: bob, on: post, "bob's, with a reply")
            let carlsReply = try await accounts.commentID(token: carl, on: post, "carl replies", parent: bobsTop)
            let carlsTop = try await accounts.commentID(token: carl, on: post, "carl's")
            _ = try await accounts.commentID(token: bob, on: post, "bob replies", parent: carlsTop)
            _ = try await accounts.commentID(token: bob, on: second, "bob alone")
            for index in 0..<3 { _ = try await accounts.commentID(token: bob, on: second, "more \(index)") }
            #expect(try await accounts.commentCount(of: post) == 4)
            #expect(try await accounts.commentCount(of: second) == 4)

            #expect(try await accounts.send("DELETE", "/api/v1/me", json: ["password": "correct horse battery"], token: bob).status == 204)
            // Bob's comment with Carl's reply stays as a placeholder; his other comments go, and both counts follow.
            let listed = try await eventually {
                try await accounts.comments(of: post)
            } until: {
                ids($0) == [bobsTop, carlsReply, carlsTop]
            }
            #expect(ids(listed) == [bobsTop, carlsReply, carlsTop])
            #expect(listed.first?["deleted"] as? Bool == true)
            #expect(listed.first?["author"] is NSNull)
            let counts = try await eventually {
                [try await accounts.commentCount(of: post), try await accounts.commentCount(of: second)]
            } until: {
                $0 == [2, 0]
            }
            #expect(counts == [2, 0])
            #expect(try PostgresProbe.strings(accounts.database.url, "SELECT count(*) FROM comments") == ["3"])
        }
    }

    @Test func aBannedAuthorsCommentsAreHiddenUntilTheUnban() async throws {
        try await withComments { accounts in
            let (ann, _, _) = try await accounts.register("ann")
            let (bob, _, _) = try await accounts.register("bob")
            let (carl, _, _) = try await accounts.register("carl")
            let admin = try await accounts.createAdmin("boss")
            let post = try await accounts.publish(token: ann)
            let bobsTop = try await accounts.commentID(token: bob, on: post, "bob's")
            let reply = try await accounts.commentID(token: carl, on: post, "carl replies to bob", parent: bobsTop)
            let carlsTop = try await accounts.commentID(token: carl, on: post, "carl's")
            let bobsReply = try await accounts.commentID(token: bob, on: post, "bob replies to carl", parent: carlsTop)
            let all = [bobsTop, reply, carlsTop, bobsReply]
            #expect(ids(try await accounts.comments(of: post)) == all)

            #expect(try await accounts.send("POST", "/api/v1/admin/users/bob/ban", json: ["reason": "spam"], token: admin).status == 200)
            // Bob's comments are hidden at once, and the replies to them (their thread) once the ban is handled.
            let hidden = try await eventually {
                try await accounts.comments(of: post)
            } until: {
                ids($0) == [carlsTop]
            }
            #expect(ids(hidden) == [carlsTop])
            let count = try await eventually {
                try await accounts.commentCount(of: post)
            } until: {
                $0 == 1
            }
            #expect(count == 1)
            // Nobody replies to a hidden comment.
            expectRefusal(try await accounts.comment(token: carl, on: post, "hello?", parent: bobsTop), 422, "validation_failed")

            #expect(try await accounts.send("POST", "/api/v1/admin/users/bob/unban", json: [String: String](), token: admin).status == 200)
            let back = try await eventually {
                try await accounts.comments(of: post)
            } until: {
                ids($0) == all
            }
            #expect(ids(back) == all)
            let restored = try await eventually {
                try await accounts.commentCount(of: post)
            } until: {
                $0 == 4
            }
            #expect(restored == 4)
        }
    }
}
