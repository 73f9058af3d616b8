import Foundation
import ImageAppTesting
import Testing

/// Deleting comments: who may, placeholders for comments with replies, and the post's `comment_count` at once.
@Suite(.timeLimit(.minutes(12)))
struct CommentsDeletionTests {
    @Test func theAuthorThePostsAuthorAndAdminsMayDelete() async throws {
        try await withComments { accounts in
            let (ann, _, _) = try await accounts.register("ann")
            let (bob, _, _) = try await accounts.register("bob")
            let (carl, _, _) = try await accounts.register("carl")
            let admin = try await accounts.createAdmin("boss")
            let post = try await accounts.publish(token: ann)
            var comments: [String] = []
            for index in 0..<3 { comments.append(try await accounts.commentID(token: bob, on: post, "comment \(index)")) }

            for id in comments {
                expectRefusal(try await accounts.send("DELETE", "/api/v1/comments/\(id)", token: carl), 403, "forbidden")
                expectRefusal(try await accounts.send("DELETE", "/api/v1/comments/\(id)"), 401, "unauthorized")
            }
            // Its author, the post's author, an admin.
            for (id, token) in zip(comments, [bob, ann, admin]) {
                let deleted = try await accounts.send("DELETE", "/api/v1/comments/\(id)", token: token)
                #expect(deleted.status == 204, "\(deleted.text)")
                expectRefusal(try await accounts.send("DELETE", "/api/v1/comments/\(id)", token: token), 404, "comment_not_found")
            }
            #expect((try await accounts.comments(of: post)).isEmpty)
            expectRefusal(try await accounts.send("DELETE", "/api/v1/comments/12345", token: admin), 404, "comment_not_found")
            expectRefusal(try await accounts.send("DELETE", "/api/v1/comments/abc", token: admin), 404, "comment_not_found")
            let outbox = try PostgresProbe.strings(accounts.database.url, "SELECT count(*) FROM ia_outbox WHERE type = 'comment.deleted'")
            #expect(outbox == ["3"])
        }
    }

    @Test func aCommentWithRepliesStaysAsAPlaceholderUntilItsLastReplyGoes() async throws {
        try await withComments { accounts in
            let (ann, _, _) = try await accounts.register("ann")
            let (bob, _, _) = try await accounts.register("bob")
            let post = try await accounts.publish(token: ann)
            let top = try await accounts.commentID(token: bob, on: post, "hello @ann")
            let first = try await accounts.commentID(token: ann, on: post, "one", parent: top)
            let second = try await accounts.commentID(token: bob, on: post, "two", parent: top)
            let alone = try await accounts.commentID(token: ann, on: post, "alone")
            #expect(try await accounts.commentCount(of: post) == 4)

            #expect(try await accounts.send("DELETE", "/api/v1/comments/\(top)", token: bob).status == 204)
            let listed = try await accounts.comments(of: post)
            #expect(ids(listed) == [top, first, second, alone])
            let placeholder = try #require(listed.first)
            #expect(placeholder["deleted"] as? Bool == true)
            #expect(placeholder["body"] as? String == "")
            #expect(placeholder["author"] is NSNull)
            #expect((placeholder["mentions"] as? [Any])?.isEmpty == true)
            #expect(placeholder["parent_id"] is NSNull)
            // The placeholder is not counted (it shows no comment), and cannot be deleted again, nor replied to.
            #expect(try await accounts.commentCount(of: post) == 3)
            expectRefusal(try await accounts.send("DELETE", "/api/v1/comments/\(top)", token: bob), 404, "comment_not_found")
            expectRefusal(try await accounts.comment(token: ann, on: post, "to nobody", parent: top), 422, "validation_failed")
            // Replying to one of its replies still joins the thread.
            let third = try await accounts.comment(token: ann, on: post, "three", parent: second)
            #expect(third.json["parent_id"] as? String == top, "\(third.text)")
            let thirdID = try #require(third.json["id"] as? String)

            // A comment without replies is removed; the placeholder goes with its last reply.
            #expect(try await accounts.send("DELETE", "/api/v1/comments/\(alone)", token: ann).status == 204)
            for reply in [first, second] {
                #expect(try await accounts.send("DELETE", "/api/v1/comments/\(reply)", token: ann).status == 204)
            }
            #expect(ids(try await accounts.comments(of: post)) == [top, thirdID])
            #expect(try await accounts.commentCount(of: post) == 1)
            #expect(try await accounts.send("DELETE", "/api/v1/comments/\(thirdID)", token: ann).status == 204)
            #expect((try await accounts.comments(of: post)).isEmpty)
            #expect(try await accounts.commentCount(of: post) == 0)
            #expect(try PostgresProbe.strings(accounts.database.url, "SELECT count(*) FROM comments") == ["0"])
        }
    }

    @Test func thePostsCommentCountIsExactAtOnce() async throws {
        try await withComments { accounts in
            let (ann, _, _) = try await accounts.register("ann")
            let (bob, _, _) = try await accounts.register("bob")
            let post = try await accounts.publish(token: ann)
            // Each read right after a change: the change invalidated the cached post. Another instance drops its own
            // copy when the invalidation reaches it through pub/sub, a moment later.
            let second = try await accounts.startInstance(role: "api")
            func counts() async throws -> [Int?] {
                let here = try await accounts.commentCount(of: post)
                let there = try await eventually {
                    try await second.send("GET", "/api/v1/posts/\(post)").json["comment_count"] as? Int
                } until: {
                    $0 == here
                }
                return [here, there]
            }
            #expect(try await counts() == [0, 0])
            var comments: [String] = []
            for index in 1...3 {
                comments.append(try await accounts.commentID(token: bob, on: post, "comment \(index)"))
                #expect(try await counts() == [index, index])
            }
            _ = try await accounts.commentID(token: ann, on: post, "reply", parent: comments[0])
            #expect(try await counts() == [4, 4])
            #expect(try await accounts.send("DELETE", "/api/v1/comments/\(comments[1])", token: bob).status == 204)
            #expect(try await counts() == [3, 3])
            // A placeholder does not count; its reply does.
            #expect(try await accounts.send("DELETE", "/api/v1/comments/\(comments[0])", token: ann).status == 204)
            #expect(try await counts() == [2, 2])
            let listed = try await accounts.comments(of: post)
            #expect(listed.filter { $0["deleted"] as? Bool == false }.count == 2)
        }
    }
}
