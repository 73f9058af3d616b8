import Foundation
import ImageAppTesting
import Testing

/// Comments through the API: the shared shape, threads and pages, mentions, and what is refused.
@Suite(.timeLimit(.minutes(12)))
struct CommentsTests {
    @Test func commentsAndRepliesAreListedOldestFirstInThreads() async throws {
        try await withComments { accounts in
            let (ann, annID, _) = try await accounts.register("ann", displayName: "Ann")
            let (bob, bobID, _) = try await accounts.register("bob")
            let post = try await accounts.publish(token: ann)

            let created = try await accounts.comment(token: bob, on: post, "  First!\n")
            #expect(created.status == 201, "\(created.text)")
            let first = try #require(created.json["id"] as? String)
            #expect(created.json["post_id"] as? String == post)
            #expect(created.json["parent_id"] is NSNull)
            #expect(created.json["body"] as? String == "First!")
            #expect(created.json["deleted"] as? Bool == false)
            #expect(created.json["mentions"] as? [Any] != nil)
            #expect((created.json["created_at"] as? String)?.hasSuffix("Z") == true)
            let author = created.json["author"] as? [String: Any]
            #expect(author?["id"] as? String == bobID)
            #expect(author?["handle"] as? String == "bob")
            #expect(author?.keys.sorted() == ["avatar_url", "display_name", "handle", "id"])

            let second = try await accounts.commentID(token: ann, on: post, "Thanks")
            let reply = try await accounts.commentID(token: ann, on: post, "A reply", parent: first)
            // A reply to a reply joins the top-level comment's thread.
            let nested = try await accounts.comment(token: bob, on: post, "A reply to the reply", parent: reply)
            #expect(nested.status == 201, "\(nested.text)")
            #expect(nested.json["parent_id"] as? String == first)
            let third = try await accounts.commentID(token: bob, on: post, "Later")
            let nestedID = try #require(nested.json["id"] as? String)

            let expected = [first, reply, nestedID, second, third]
            for limit in [40, 2, 1] {
                let listed = try await accounts.comments(of: post, limit: limit)
                #expect(ids(listed) == expected, "limit \(limit)")
            }
            let listed = try await accounts.comments(of: post)
            #expect(try listed.first.map(sortedJSON) == sortedJSON(created.json))
            #expect((listed[1]["author"] as? [String: Any])?["display_name"] as? String == "Ann")
            #expect((listed[1]["author"] as? [String: Any])?["id"] as? String == annID)
            #expect(listed.map { $0["parent_id"] as? String } == [nil, first, first, nil, nil])
            #expect(try await accounts.commentCount(of: post) == 5)

            let page = try await accounts.send("GET", "/api/v1/posts/\(post)/comments?limit=2")
            #expect(page.json["next_cursor"] is String)
            expectRefusal(try await accounts.send("GET", "/api/v1/posts/\(post)/comments?cursor=forged"), 422, "validation_failed")
            expectRefusal(try await accounts.send("GET", "/api/v1/posts/\(post)/comments?limit=0"), 422, "validation_failed")
            expectRefusal(try await accounts.send("GET", "/api/v1/posts/12345/comments"), 404, "post_not_found")
            expectRefusal(try await accounts.send("GET", "/api/v1/posts/abc/comments"), 404, "post_not_found")
            expectRefusal(try await accounts.comment(token: bob, on: "12345", "hello"), 404, "post_not_found")
            let empty = try await accounts.send("GET", "/api/v1/posts/\(try await accounts.publish(token: ann))/comments")
            #expect(empty.status == 200)
            #expect((empty.json["items"] as? [Any])?.isEmpty == true)
            #expect(empty.json["next_cursor"] is NSNull)
        }
    }

    @Test func mentionsAreResolvedAndAnnounced() async throws {
        try await withComments { accounts in
            let (ann, annID, _) = try await accounts.register("ann")
            let (bob, bobID, _) = try await accounts.register("Bob_99")
            let (carl, carlID, _) = try await accounts.register("carl")
            let post = try await accounts.publish(token: ann)
            let top = try await accounts.commentID(token: carl, on: post, "Nice")
            let body = "@bob_99 look, with @nobody, a@b.com, https://example.com/@carl and @BOB_99 again"
            let created = try await accounts.comment(token: bob, on: post, body, parent: top)
            #expect(created.status == 201, "\(created.text)")
            #expect(created.json["body"] as? String == body)
            #expect(created.json["mentions"] as? [[String: String]] == [["id": bobID, "handle": "Bob_99"]])
            let listed = try await accounts.comments(of: post)
            #expect(listed.last?["mentions"] as? [[String: String]] == [["id": bobID, "handle": "Bob_99"]])

            // comment.created tells notifications everything: the post's author, the parent's, the mentions.
            let payloads = try PostgresProbe.strings(
                accounts.database.url,
                "SELECT payload FROM ia_outbox WHERE type = 'comment.created' ORDER BY id"
            )
            #expect(payloads.count == 2)
            let event = try #require(payloads.last.flatMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
            #expect(event["comment_id"] as? String == created.json["id"] as? String)
            #expect(event["post_id"] as? String == post)
            #expect(event["post_author_id"] as? String == annID)
            #expect(event["author_id"] as? String == bobID)
            #expect(event["parent_id"] as? String == top)
            #expect(event["parent_author_id"] as? String == carlID)
            #expect(event["mentions"] as? [[String: String]] == [["id": bobID, "handle": "Bob_99"]])
            let topEvent = try #require(payloads.first.flatMap { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
            #expect(topEvent["parent_id"] is NSNull)
            #expect(topEvent["parent_author_id"] is NSNull)
        }
    }

    @Test func badCommentsAreRefused() async throws {
        try await withComments(comments: "max_mentions = 2") { accounts in
            let (ann, _, _) = try await accounts.register("ann")
            let post = try await accounts.publish(token: ann)
            let other = try await accounts.publish(token: ann)
            let elsewhere = try await accounts.commentID(token: ann, on: other, "on the other post")

            expectRefusal(try await accounts.comment(token: nil, on: post, "hi"), 401, "unauthorized")
            for body in ["", "   \n\t ", String(repeating: "x", count: 1_001), "\u{202E}evil", "a\u{0}b", "@aaa @bbb @ccc"] {
                let refused = try await accounts.comment(token: ann, on: post, body)
                expectRefusal(refused, 422, "validation_failed")
                #expect(refusalDetails(refused)["body"] != nil, "\(body.debugDescription): \(refused.text)")
            }
            for parent in ["abc", "0", "007", "-1", "99999999", elsewhere] {
                let refused = try await accounts.comment(token: ann, on: post, "hi", parent: parent)
                expectRefusal(refused, 422, "validation_failed")
                #expect(refusalDetails(refused)["parent_id"] != nil, "\(parent): \(refused.text)")
            }
            let path = "/api/v1/posts/\(post)/comments"
            let missing = try await accounts.send("POST", path, json: ["parent_id": elsewhere], token: ann)
            expectRefusal(missing, 422, "validation_failed")
            #expect(refusalDetails(missing)["body"] != nil)
            expectRefusal(try await accounts.send("POST", path, json: ["body": "hi", "extra": 1], token: ann), 422, "validation_failed")
            expectRefusal(try await accounts.send("POST", path, json: ["body": 5], token: ann), 400, "invalid_json")
            expectRefusal(try await accounts.send("POST", path, json: ["body": "hi", "parent_id": 5], token: ann), 400, "invalid_json")
            expectRefusal(try await accounts.send("POST", path, json: ["hi"], token: ann), 400, "invalid_json")
            #expect((try await accounts.comments(of: post)).isEmpty)

            // The limits themselves are accepted: 1,000 characters (a multi-byte one), line breaks, two mentions.
            let longest = try await accounts.comment(token: ann, on: post, String(repeating: "é", count: 1_000))
            #expect(longest.status == 201, "\(longest.text)")
            let lines = try await accounts.comment(token: ann, on: post, "two\r\nlines\tand @aaa @bbb")
            #expect(lines.status == 201, "\(lines.text)")
            #expect(lines.json["body"] as? String == "two\nlines\tand @aaa @bbb")
        }
    }
}
