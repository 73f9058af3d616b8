import Foundation
import ImageAppTesting
import Testing

/// `GET /api/v1/me` and public profiles are cached (in Redis and in each process): every change must show at once,
/// on the instance that made it and on the others.
@Suite(.timeLimit(.minutes(12)))
struct ProfileCachingTests {
    @Test func changesShowAtOnceEverywhere() async throws {
        try await withAccounts { accounts in
            let other = try await accounts.startInstance()
            let admin = try await accounts.createAdmin("boss")
            let (token, _, _) = try await accounts.register("quinn", displayName: "Quinn")

            func bio(_ host: HostProcess, _ path: String, token: String? = nil) async throws -> String? {
                let response = try await host.get(path, headers: token.map { ["Authorization": "Bearer \($0)"] } ?? [:])
                return response.status == 200 ? response.json["bio"] as? String : "status \(response.status)"
            }
            /// Polls until `expected` shows (pub/sub reaches the other instance within moments).
            func eventually(_ expected: String, _ host: HostProcess, _ path: String, token: String? = nil) async throws -> String? {
                try await ImageAppTesting.eventually({ try await bio(host, path, token: token) }) { $0 == expected }
            }

            // Fill every cache: both instances, both routes, twice (the second answer comes from memory).
            for _ in 0..<2 {
                #expect(try await bio(accounts.host, "/api/v1/users/quinn") == "")
                #expect(try await bio(other, "/api/v1/users/QUINN") == "")
                #expect(try await bio(accounts.host, "/api/v1/me", token: token) == "")
                #expect(try await bio(other, "/api/v1/me", token: token) == "")
            }

            let patched = try await accounts.send("PATCH", "/api/v1/me", json: ["bio": "First."], token: token)
            #expect(patched.status == 200, "\(patched.text)")
            // The instance that changed it shows it at once; the other as soon as the invalidation arrives.
            #expect(try await bio(accounts.host, "/api/v1/users/quinn") == "First.")
            #expect(try await bio(accounts.host, "/api/v1/me", token: token) == "First.")
            #expect(try await eventually("First.", other, "/api/v1/users/quinn") == "First.")
            #expect(try await eventually("First.", other, "/api/v1/me", token: token) == "First.")

            // Account changes made by auth count too: a ban hides the profile, an unban shows it, a verification shows.
            #expect(try await accounts.send("POST", "/api/v1/admin/users/quinn/ban", json: ["reason": "test"], token: admin).status == 200)
            #expect(try await bio(accounts.host, "/api/v1/users/quinn") == "status 404")
            #expect(try await eventually("status 404", other, "/api/v1/users/quinn") == "status 404")
            #expect(try await accounts.send("POST", "/api/v1/admin/users/quinn/unban", token: admin).status == 200)
            #expect(try await bio(accounts.host, "/api/v1/users/quinn") == "First.")

            let relogin = try #require(try await accounts.login("quinn").json["token"] as? String)
            #expect(try await accounts.send("GET", "/api/v1/me", token: relogin).json["email_verified"] as? Bool == false)
            let mailed = try #require(await accounts.mailedToken(to: "quinn@example.com", subject: "Confirm"))
            #expect(try await accounts.send("POST", "/api/v1/auth/email/verify", json: ["token": mailed]).status == 200)
            #expect(try await accounts.send("GET", "/api/v1/me", token: relogin).json["email_verified"] as? Bool == true)
        }
    }
}
