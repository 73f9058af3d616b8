import Foundation
import ImageAppTesting
import Testing

/// Settings, bad input and the prune job.
@Suite(.timeLimit(.minutes(12)))
struct NotificationsSettingsTests {
    @Test func aTypeTurnedOffMakesNothing() async throws {
        try await withNotifications { accounts in
            let (alice, aliceID, _) = try await accounts.register("alice")
            let (bob, _, _) = try await accounts.register("bob")
            let defaults = try await accounts.send("GET", "/api/v1/notifications/settings", token: alice)
            #expect(defaults.json as? [String: Bool] == ["like": true, "comment": true, "reply": true, "mention": true, "follow": true])
            #expect(defaults.headers["cache-control"] == "no-store")
            let patched = try await accounts.send("PATCH", "/api/v1/notifications/settings", json: ["like": false], token: alice)
            #expect(patched.status == 200, "\(patched.text)")
            #expect(patched.json as? [String: Bool] == ["like": false, "comment": true, "reply": true, "mention": true, "follow": true])
            #expect(try await accounts.send("GET", "/api/v1/notifications/settings", token: alice).json["like"] as? Bool == false)

            let post = try await accounts.publish(token: alice)
            try await accounts.like(post, token: bob)
            // The event was handled for alice (recorded) and made nothing.
            let url = accounts.database.url
            let handled = try await eventually(timeout: .seconds(30)) {
                try PostgresProbe.strings(url, "SELECT count(*) FROM notifications_events WHERE user_id = \(aliceID)")
            } until: {
                $0 == ["1"]
            }
            #expect(handled == ["1"])
            #expect(try await accounts.notifications(alice).isEmpty)
            #expect(try await accounts.unreadCount(alice) == 0)
            // Follows are still on.
            #expect(try await accounts.send("PUT", "/api/v1/users/alice/follow", token: bob).status == 200)
            let followed = try await accounts.notifications(alice) { !$0.isEmpty }
            #expect(followed.map { $0["type"] as? String } == ["follow"])
        }
    }

    @Test func badInputIsAJSONRefusal() async throws {
        try await withNotifications { accounts in
            let (alice, _, _) = try await accounts.register("alice")
            for body in [
                [String: Any](), ["ids": ["1"], "all": true], ["all": false], ["up_to": "abc"], ["up_to": 5], ["ids": [1]], ["ids": "1"],
                ["everything": true], ["all": true, "up_to": NSNull()],
            ] as [[String: Any]] {
                let response = try await accounts.send("POST", "/api/v1/notifications/read", json: body, token: alice)
                expectRefusal(response, 422, "validation_failed")
            }
            expectRefusal(try await accounts.send("POST", "/api/v1/notifications/read", json: [1, 2], token: alice), 400, "invalid_json")
            let tooMany = (1...101).map(String.init)
            expectRefusal(
                try await accounts.send("POST", "/api/v1/notifications/read", json: ["ids": tooMany], token: alice),
                422,
                "validation_failed"
            )
            #expect(try await accounts.send("POST", "/api/v1/notifications/read", json: ["ids": [String]()], token: alice).json["count"] as? Int == 0)
            for body in [["like": "no"], ["poke": true], ["follow": NSNull()]] as [[String: Any]] {
                expectRefusal(try await accounts.send("PATCH", "/api/v1/notifications/settings", json: body, token: alice), 422, "validation_failed")
            }
            for (method, path) in [
                ("GET", "/api/v1/notifications"), ("GET", "/api/v1/notifications/unread_count"), ("POST", "/api/v1/notifications/read"),
                ("GET", "/api/v1/notifications/settings"), ("PATCH", "/api/v1/notifications/settings"),
            ] {
                expectRefusal(try await accounts.send(method, path, json: method == "GET" ? nil : ["all": true]), 401, "unauthorized")
            }
        }
    }

    @Test func readNotificationsArePrunedAfterKeepDays() async throws {
        try await withNotifications("keep_days = 1\nprune_interval_seconds = 1") { accounts in
            let (alice, _, _) = try await accounts.register("alice")
            let (bob, _, _) = try await accounts.register("bob")
            let first = try await accounts.publish(token: alice)
            let second = try await accounts.publish(token: alice)
            try await accounts.like(first, token: bob)
            try await accounts.like(second, token: bob)
            let both = try await accounts.notifications(alice) { $0.count == 2 }
            let oldest = try #require(both.last?["id"] as? String)
            #expect(try await accounts.send("POST", "/api/v1/notifications/read", json: ["ids": [oldest]], token: alice).json["count"] as? Int == 1)
            // Both two days old; only the read one goes.
            _ = try PostgresProbe.execute(accounts.database.url, "UPDATE notifications SET updated_at = now() - interval '2 days'")
            let left = try await accounts.notifications(alice) { $0.count == 1 }
            #expect(left.map { $0["id"] as? String } == [both.first?["id"] as? String])
            #expect(left.first?["read"] as? Bool == false)
        }
    }
}
