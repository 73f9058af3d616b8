import Foundation
import ImageAppTesting
import Testing

/// Who gets notified of what: never yourself, never of a banned user, nothing about deleted things, each event once.
@Suite(.timeLimit(.minutes(12)))
struct NotificationsRulesTests {
    @Test func selfLikesAndBannedActorsGiveNothing() async throws {
        try await withNotifications { accounts in
            let (alice, _, _) = try await accounts.register("alice")
            let (bob, _, _) = try await accounts.register("bob")
            let (carl, _, _) = try await accounts.register("carl")
            let admin = try await accounts.createAdmin("boss")
            let post = try await accounts.publish(token: alice)
            // Events of one source are handled in order: once bob's like shows, alice's own came and went.
            try await accounts.like(post, token: alice)
            try await accounts.like(post, token: bob)
            let liked = try await accounts.notifications(alice) { actorHandles($0.first) == ["bob"] }
            #expect(liked.count == 1 && liked.first?["actor_count"] as? Int == 1)

            // A banned follower's notification is hidden and not counted while the ban lasts.
            #expect(try await accounts.send("PUT", "/api/v1/users/alice/follow", token: carl).status == 200)
            _ = try await accounts.notifications(alice) { $0.count == 2 }
            #expect(try await accounts.unreadCount(alice) == 2)
            #expect(try await accounts.send("POST", "/api/v1/admin/users/carl/ban", json: ["reason": "spam"], token: admin).status == 200)
            let hidden = try await accounts.notifications(alice) { $0.count == 1 }
            #expect(hidden.map { $0["type"] as? String } == ["like"])
            let counted = try await eventually(timeout: .seconds(30)) {
                try await accounts.unreadCount(alice)
            } until: {
                $0 == 1
            }
            #expect(counted == 1)
            #expect(try await accounts.send("POST", "/api/v1/admin/users/carl/unban", json: [String: String](), token: admin).status == 200)
            let back = try await accounts.notifications(alice) { $0.count == 2 }
            #expect(back.first?["type"] as? String == "follow")

            // An unfollow takes the follower out of the unread group; the group goes with its last actor. (The ban
            // ended carl's sessions.)
            let carlAgain = try #require(try await accounts.login("carl").json["token"] as? String)
            #expect(try await accounts.send("DELETE", "/api/v1/users/alice/follow", token: carlAgain).status == 200)
            let unfollowed = try await accounts.notifications(alice) { $0.count == 1 }
            #expect(unfollowed.map { $0["type"] as? String } == ["like"])
            #expect(try await accounts.unreadCount(alice) == 1)
        }
    }

    @Test func commentsRepliesAndMentionsAndTheirDeletion() async throws {
        try await withNotifications { accounts in
            let (alice, _, _) = try await accounts.register("alice")
            let (bob, _, _) = try await accounts.register("bob")
            let (carl, _, _) = try await accounts.register("carl")
            let post = try await accounts.publish(token: alice)
            let other = try await accounts.publish(token: alice)
            try await accounts.like(post, token: bob)
            try await accounts.like(other, token: bob)
            let top = try await accounts.commentID(token: bob, on: post, "nice")
            let reply = try await accounts.commentID(token: carl, on: post, "agreed @alice", parent: top)
            let mentioning = try await accounts.publish(token: carl, caption: "hello @bob")

            // Alice: two like groups, bob's comment, carl's reply on her post (a comment to her, not also a mention).
            let forAlice = try await accounts.notifications(alice) { $0.count == 4 }
            #expect(forAlice.map { $0["type"] as? String } == ["comment", "comment", "like", "like"])
            #expect(forAlice.first?["comment_id"] as? String == reply)
            #expect((forAlice.first?["post"] as? [String: Any])?["id"] as? String == post)
            // Bob: carl's reply to his comment and carl's mention in a post.
            let forBob = try await accounts.notifications(bob) { $0.count == 2 }
            #expect(Set(forBob.compactMap { $0["type"] as? String }) == ["reply", "mention"])
            let mention = forBob.first { $0["type"] as? String == "mention" }
            #expect((mention?["post"] as? [String: Any])?["id"] as? String == mentioning)
            #expect(mention?["comment_id"] is NSNull)
            #expect(try await accounts.notifications(bob, query: "?types=mention").count == 1)
            #expect(try await accounts.notifications(alice, query: "?types=like,follow").count == 2)
            expectRefusal(try await accounts.send("GET", "/api/v1/notifications?types=like,poke", token: alice), 422, "validation_failed")
            expectRefusal(try await accounts.send("GET", "/api/v1/notifications?cursor=nonsense", token: alice), 422, "validation_failed")

            // Paging: one at a time, newest activity first, each once.
            var seen: [String] = []
            var cursor: String?
            repeat {
                let page = try await accounts.send("GET", "/api/v1/notifications?limit=1" + (cursor.map { "&cursor=\($0)" } ?? ""), token: alice)
                seen += (page.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                cursor = page.json["next_cursor"] as? String
            } while cursor != nil && seen.count < 10
            #expect(seen == forAlice.compactMap { $0["id"] as? String })

            // `up_to` marks that one and those listed after it, not the newer ones.
            let upTo = try #require(forAlice[1]["id"] as? String)
            let read = try await accounts.send("POST", "/api/v1/notifications/read", json: ["up_to": upTo], token: alice)
            #expect(read.json["count"] as? Int == 1)
            #expect(try await accounts.notifications(alice).map { $0["read"] as? Bool } == [false, true, true, true])

            // A deleted comment takes its notifications; a deleted post takes everything about it and its comments.
            #expect(try await accounts.send("DELETE", "/api/v1/comments/\(reply)", token: carl).status == 204)
            _ = try await accounts.notifications(bob) { $0.count == 1 }
            #expect(try await accounts.notifications(bob).map { $0["type"] as? String } == ["mention"])
            #expect(try await accounts.send("DELETE", "/api/v1/posts/\(post)", token: alice).status == 204)
            let left = try await accounts.notifications(alice) { $0.count == 1 }
            #expect(left.map { ($0["post"] as? [String: Any])?["id"] as? String } == [other])
            #expect(try await accounts.unreadCount(alice) == 0)
            let rows = try PostgresProbe.strings(accounts.database.url, "SELECT count(*) FROM notifications WHERE post_id = \(post)")
            #expect(rows == ["0"])
        }
    }

    @Test func aReplayedEventMakesOneNotification() async throws {
        try await withNotifications { accounts in
            let (alice, _, _) = try await accounts.register("alice")
            let (bob, _, _) = try await accounts.register("bob")
            let post = try await accounts.publish(token: alice)
            try await accounts.like(post, token: bob)
            let first = try await accounts.notifications(alice) { $0.count == 1 }
            // Read, so that the same like handled again would start a new group.
            let id = try #require(first.first?["id"] as? String)
            #expect(try await accounts.send("POST", "/api/v1/notifications/read", json: ["up_to": id], token: alice).json["count"] as? Int == 0)

            // The relay's entry again, as a redelivery brings it: the same event id, type and payload.
            let url = accounts.database.url
            let row = try PostgresProbe.strings(
                url,
                "SELECT event_id || E'\\t' || type || E'\\t' || payload || E'\\t' || source || E'\\t' || "
                    + "to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') FROM ia_outbox WHERE type = 'like.created'"
            )
            let fields = try #require(row.first).components(separatedBy: "\t")
            #expect(fields.count == 5)
            // The handler reads the stream of the event's family.
            let stream = "\(accounts.namespace):events:family:like"
            let entry = try #require(
                RedisKeys.run([
                    "XADD", stream, "*", "id", fields[0], "type", fields[1], "payload", fields[2], "source", fields[3], "occurred_at", fields[4],
                ])?.first ?? nil
            )
            // Handled (delivered and acknowledged) by the notifications' like handler.
            let handled = try await eventually(timeout: .seconds(30)) { () -> [String?] in
                RedisKeys.run(["XINFO", "GROUPS", stream]) ?? []
            } until: { reply in
                guard let name = reply.firstIndex(of: "notifications.likes") else { return false }
                let group = Array(reply[name...].prefix(12))
                let delivered = group.firstIndex(of: "last-delivered-id").map { group[$0 + 1] }
                let pending = group.firstIndex(of: "pending").map { group[$0 + 1] }
                return delivered == entry && pending == "0"
            }
            #expect(handled.contains("notifications.likes"))
            try await Task.sleep(for: .milliseconds(300))
            let after = try await accounts.notifications(alice)
            #expect(after.count == 1)
            #expect(after.first?["read"] as? Bool == true)
            #expect(try await accounts.unreadCount(alice) == 0)
            #expect(try PostgresProbe.strings(url, "SELECT count(*) FROM notification_actors") == ["1"])
        }
    }
}
