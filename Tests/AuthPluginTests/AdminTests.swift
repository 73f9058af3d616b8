import Foundation
import ImageAppTesting
import Testing

/// Roles and moderation over HTTP: `create-admin`, the admin-only routes, bans enforced everywhere at once,
/// promotion and demotion, and the last-admin guard.
@Suite(.timeLimit(.minutes(12)))
struct AdminTests {
    @Test func createAdminFromTheCommandLine() async throws {
        try await withAccounts(profiles: nil) { accounts in
            let token = try await accounts.createAdmin("root_admin")
            let users = try await accounts.send("GET", "/api/v1/admin/users", token: token)
            #expect(users.status == 200, "\(users.text)")
            let me = (users.json["items"] as? [[String: Any]])?.first
            #expect(me?["role"] as? String == "admin")
            #expect(me?["email_verified"] as? Bool == true)

            // Refusals: a taken handle, a weak password, missing options.
            let taken = try HostProcess.run(
                ["create-admin", "--handle", "ROOT_ADMIN", "--email", "x@example.com"],
                config: accounts.config,
                stdin: "a fine passphrase\n"
            )
            #expect(taken.status == 65)
            #expect(taken.stderr.contains("handle is taken") || taken.stderr.contains("taken"), "\(taken.stderr)")
            let weak = try HostProcess.run(
                ["create-admin", "--handle", "other_admin", "--email", "o@example.com"],
                config: accounts.config,
                stdin: "password\n"
            )
            #expect(weak.status == 65)
            #expect(weak.stderr.contains("password is too common"), "\(weak.stderr)")
            let usage = try HostProcess.run(["create-admin", "--handle", "x_admin"], config: accounts.config, stdin: "")
            #expect(usage.status == 64)
        }
    }

    @Test func adminRoutesNeedAnAdmin() async throws {
        try await withAccounts(profiles: nil) { accounts in
            let (userToken, _, _) = try await accounts.register("lena")

            expectRefusal(try await accounts.send("GET", "/api/v1/admin/users"), 401, "unauthorized")
            expectRefusal(try await accounts.send("GET", "/api/v1/admin/users", token: userToken), 403, "forbidden")
            expectRefusal(try await accounts.send("POST", "/api/v1/admin/users/lena/promote", token: userToken), 403, "forbidden")
        }
    }

    @Test func listSearchAndPaginate() async throws {
        try await withAccounts(profiles: nil) { accounts in
            let admin = try await accounts.createAdmin("boss")
            for handle in ["mia_1", "mia_2", "Mia_3", "noah", "mi_x"] {
                try await accounts.register(handle, email: "\(handle.lowercased())@mail.example")
            }

            func handles(_ query: String) async throws -> (handles: [String], next: String?) {
                let response = try await accounts.send("GET", "/api/v1/admin/users\(query)", token: admin)
                #expect(response.status == 200, "\(response.text)")
                let items = response.json["items"] as? [[String: Any]] ?? []
                return (items.compactMap { $0["handle"] as? String }, response.json["next_cursor"] as? String)
            }
            #expect(try await handles("?q=MIA").handles == ["Mia_3", "mia_2", "mia_1"], "newest first, case-insensitive prefix")
            #expect(try await handles("?q=noah%40").handles == ["noah"], "prefix of the email")
            #expect(try await handles("?q=mi_").handles == ["mi_x"], "underscore is literal, not a LIKE wildcard")
            #expect(try await handles("?q=%25").handles.isEmpty, "percent is literal")

            let first = try await handles("?limit=2")
            #expect(first.handles == ["mi_x", "noah"])
            let next = try #require(first.next)
            let second = try await handles("?limit=2&cursor=\(next)")
            #expect(second.handles == ["Mia_3", "mia_2"])
            let rest = try await handles("?limit=40&cursor=\(try #require(second.next))")
            #expect(rest.handles == ["mia_1", "boss"])
            #expect(rest.next == nil)
            expectRefusal(try await accounts.send("GET", "/api/v1/admin/users?cursor=abc", token: admin), 422, "validation_failed")
            expectRefusal(try await accounts.send("GET", "/api/v1/admin/users?q=a%00b", token: admin), 422, "validation_failed")
            #expect(try await handles("?limit=1000").handles.count == 6, "limit is capped, not refused")
        }
    }

    @Test func banEndsSessionsAtOnceAndBlocksLogin() async throws {
        try await withAccounts { accounts in
            let admin = try await accounts.createAdmin("boss")
            let (token, _, _) = try await accounts.register("oscar")
            let cookieLogin = try await accounts.send(
                "POST",
                "/api/v1/auth/login",
                json: ["login": "oscar", "password": "correct horse battery", "session": "cookie"]
            )
            let cookie = try #require(
                cookieLogin.headers["set-cookie"]?.range(of: #"ia_session=[A-Za-z0-9_-]{43}"#, options: .regularExpression)
                    .map { String(cookieLogin.headers["set-cookie"]![$0]) }
            )
            // Cached as valid everywhere first.
            #expect(try await accounts.send("GET", "/api/v1/me", token: token).status == 200)
            #expect(try await accounts.send("GET", "/api/v1/auth/sessions", headers: ["Cookie": cookie]).status == 200)

            expectRefusal(
                try await accounts.send("POST", "/api/v1/admin/users/oscar/ban", json: [String: String](), token: admin),
                422,
                "validation_failed"
            )
            expectRefusal(
                try await accounts.send("POST", "/api/v1/admin/users/nobody/ban", json: ["reason": "spam"], token: admin),
                404,
                "user_not_found"
            )
            let banned = try await accounts.send("POST", "/api/v1/admin/users/OSCAR/ban", json: ["reason": "spam"], token: admin)
            #expect(banned.status == 200, "\(banned.text)")
            #expect(banned.json["banned"] as? Bool == true)
            #expect(banned.json["ban_reason"] as? String == "spam")

            // Refused on every authenticated route, by any credential, at once.
            expectRefusal(try await accounts.send("GET", "/api/v1/me", token: token), 401, "invalid_token")
            expectRefusal(try await accounts.send("GET", "/api/v1/auth/sessions", token: token), 401, "invalid_token")
            expectRefusal(try await accounts.send("GET", "/api/v1/auth/sessions", headers: ["Cookie": cookie]), 401, "unauthorized")
            expectRefusal(try await accounts.login("oscar"), 403, "account_banned")
            expectRefusal(try await accounts.login("oscar", password: "wrong password"), 401, "invalid_credentials")
            expectRefusal(try await accounts.send("GET", "/api/v1/users/oscar"), 404, "user_not_found")
            let sessions = try PostgresProbe.strings(
                accounts.database.url,
                "SELECT count(*) FROM auth_sessions s JOIN auth_users u ON u.id = s.user_id WHERE u.handle = 'oscar'"
            )
            #expect(sessions == ["0"])

            let unbanned = try await accounts.send("POST", "/api/v1/admin/users/oscar/unban", token: admin)
            #expect(unbanned.json["banned"] as? Bool == false)
            #expect(try await accounts.login("oscar").status == 200)
        }
    }

    @Test func rolesChangeOpenSessionsAndTheLastAdminStays() async throws {
        try await withAccounts(profiles: nil) { accounts in
            let boss = try await accounts.createAdmin("boss")
            let (token, _, _) = try await accounts.register("pia")
            expectRefusal(try await accounts.send("GET", "/api/v1/admin/users", token: token), 403, "forbidden")

            // Promotion reaches the session she already has.
            let promoted = try await accounts.send("POST", "/api/v1/admin/users/pia/promote", token: boss)
            #expect(promoted.json["role"] as? String == "admin")
            #expect(try await accounts.send("GET", "/api/v1/admin/users", token: token).status == 200)

            // Two admins: one may step down; then the last one cannot, nor be banned.
            #expect(try await accounts.send("POST", "/api/v1/admin/users/boss/demote", token: boss).status == 200)
            expectRefusal(try await accounts.send("GET", "/api/v1/admin/users", token: boss), 403, "forbidden")
            expectRefusal(try await accounts.send("POST", "/api/v1/admin/users/pia/demote", token: token), 409, "last_admin")
            expectRefusal(try await accounts.send("POST", "/api/v1/admin/users/pia/ban", json: ["reason": "oops"], token: token), 409, "last_admin")
            #expect(try await accounts.send("GET", "/api/v1/admin/users", token: token).status == 200, "still an admin")
        }
    }
}
