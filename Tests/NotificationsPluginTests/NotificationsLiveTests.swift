import Foundation
import ImageAppTesting
import Testing

/// Notifications pushed live across instances: two API hosts and one worker sharing one Redis.
@Suite(.serialized, .timeLimit(.minutes(12)))
struct NotificationsLiveTests {
    @Test func aLikeOnOneHostReachesAWebSocketOnAnotherOnce() async throws {
        try await withNotifications(role: "api") { accounts in
            try await accounts.startInstance(role: "worker")
            let hostB = try await accounts.startInstance(role: "api")
            let (alice, aliceID, _) = try await accounts.register("alice")
            let (bob, bobID, _) = try await accounts.register("bob")
            let post = try await accounts.publish(token: alice)
            let socket = try await accounts.socket(on: hostB, token: alice, userID: aliceID)

            try await accounts.like(post, token: bob)
            await socket.read(timeout: .seconds(30)) { client in
                let types = decodedMessages(client).map(\.type)
                return types.contains("notification") && types.contains("unread_count") && types.contains("post.counts")
            }
            await socket.read(timeout: .seconds(1))
            let messages = decodedMessages(socket)
            let notifications = messages.filter { $0.type == "notification" }
            #expect(notifications.count == 1, "\(socket.messages)")
            let pushed = notifications.first?.data
            #expect(pushed?["type"] as? String == "like")
            #expect(actorHandles(pushed) == ["bob"])
            #expect((pushed?["actors"] as? [[String: Any]])?.first?["id"] as? String == bobID)
            #expect(pushed?["actor_count"] as? Int == 1)
            #expect(pushed?["read"] as? Bool == false)
            #expect(pushed?["comment_id"] is NSNull)
            let pushedPost = pushed?["post"] as? [String: Any]
            #expect(pushedPost?["id"] as? String == post)
            #expect((pushedPost?["preview_url"] as? String)?.isEmpty == false)
            #expect(messages.filter { $0.type == "unread_count" }.map { $0.data["count"] as? Int } == [1])
            let counts = messages.first { $0.type == "post.counts" }?.data
            #expect(counts?["post_id"] as? String == post)
            #expect(counts?["comment_count"] as? Int == 0)
            #expect(counts?["like_count"] as? Int == 1)

            // The list and the count say the same, and are never cached.
            let list = try await accounts.send("GET", "/api/v1/notifications", token: alice)
            #expect(list.headers["cache-control"] == "no-store")
            let items = list.json["items"] as? [[String: Any]] ?? []
            #expect(items.map { $0["id"] as? String } == [pushed?["id"] as? String])
            #expect(list.json["next_cursor"] is NSNull)
            let count = try await accounts.send("GET", "/api/v1/notifications/unread_count", token: alice)
            #expect(count.json["count"] as? Int == 1 && count.headers["cache-control"] == "no-store")
            #expect(try await accounts.notifications(bob).isEmpty)
        }
    }

    @Test func likesGroupUntilReadAndReadingUpdatesEveryConnection() async throws {
        try await withNotifications { accounts in
            let hostB = try await accounts.startInstance(role: "api")
            let (alice, aliceID, _) = try await accounts.register("alice")
            let post = try await accounts.publish(token: alice)
            var likers: [(handle: String, token: String)] = []
            for handle in ["bea", "cal", "dan", "eve", "fay"] {
                likers.append((handle, try await accounts.register(handle).token))
            }
            for liker in likers { try await accounts.like(post, token: liker.token) }
            let grouped = try await accounts.notifications(alice) { $0.first?["actor_count"] as? Int == 5 }
            #expect(grouped.count == 1)
            #expect(grouped.first?["actor_count"] as? Int == 5)
            #expect(actorHandles(grouped.first) == ["fay", "eve", "dan"])
            #expect(try await accounts.unreadCount(alice) == 1)

            // An unlike takes its actor out of the unread group, without a notification of its own; the changed group
            // is pushed to every device.
            let phone = try await accounts.socket(on: accounts.host, token: alice, userID: aliceID)
            let laptop = try await accounts.socket(on: hostB, token: alice, userID: aliceID, subscribers: 2)
            #expect(try await accounts.send("DELETE", "/api/v1/posts/\(post)/like", token: likers[4].token).status == 200)
            let fewer = try await accounts.notifications(alice) { $0.first?["actor_count"] as? Int == 4 }
            #expect(fewer.count == 1)
            #expect(actorHandles(fewer.first) == ["eve", "dan", "cal"])
            for socket in [phone, laptop] {
                await socket.read(timeout: .seconds(20)) { client in
                    let messages = decodedMessages(client)
                    return messages.contains { $0.type == "notification" && $0.data["actor_count"] as? Int == 4 }
                        && messages.contains { $0.type == "unread_count" }
                }
                // (The fifth like's own pushes may come just after the socket opened: the count is 1 in both.)
                let counts = decodedMessages(socket).filter { $0.type == "unread_count" }.map { $0.data["count"] as? Int }
                #expect(!counts.isEmpty && counts.allSatisfy { $0 == 1 })
            }

            // Reading on one device updates the count on the others, on every instance.
            let seen = [phone.messages.count, laptop.messages.count]
            let id = try #require(fewer.first?["id"] as? String)
            let read = try await accounts.send("POST", "/api/v1/notifications/read", json: ["ids": [id]], token: alice)
            #expect(read.status == 200 && read.json["count"] as? Int == 0, "\(read.text)")
            for (socket, start) in zip([phone, laptop], seen) {
                await socket.read(timeout: .seconds(20)) { client in
                    decodedMessages(client).dropFirst(start).contains { $0.type == "unread_count" && $0.data["count"] as? Int == 0 }
                }
                // (The unlike's `post.counts` may still come meanwhile, and so may a count its push read just before
                // the read committed: pushes read the state when they are sent.)
                let later = decodedMessages(socket).dropFirst(start).filter { $0.type != "post.counts" }
                #expect(!later.isEmpty && later.allSatisfy { $0.type == "unread_count" }, "\(later.map(\.type))")
                #expect(later.last?.data["count"] as? Int == 0)
            }
            #expect(try await accounts.notifications(alice).first?["read"] as? Bool == true)

            // After reading, a new like starts a new group.
            let beforeLike = phone.messages.count
            try await accounts.like(post, token: likers[4].token)
            let regrouped = try await accounts.notifications(alice) { $0.count == 2 }
            #expect(regrouped.map { $0["read"] as? Bool } == [false, true])
            #expect(regrouped.first?["actor_count"] as? Int == 1)
            #expect(actorHandles(regrouped.first) == ["fay"])
            #expect(try await accounts.unreadCount(alice) == 1)
            await phone.read(timeout: .seconds(20)) { decodedMessages($0).dropFirst(beforeLike).contains { $0.type == "unread_count" } }
            let pushed = decodedMessages(phone).dropFirst(beforeLike).filter { $0.type == "notification" }
            #expect(pushed.map { $0.data["id"] as? String } == [regrouped.first?["id"] as? String])

            // `all` marks the rest read.
            let all = try await accounts.send("POST", "/api/v1/notifications/read", json: ["all": true], token: alice)
            #expect(all.json["count"] as? Int == 0)
        }
    }
}
