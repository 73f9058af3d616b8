import Foundation
import ImageAppTesting
import Testing

/// The `auth` plugin end to end over HTTP, against real PostgreSQL and Redis: registration, login, sessions
/// (bearer and cookie with CSRF), revocation, passwords, verification.
@Suite(.timeLimit(.minutes(12)))
struct AuthTests {
    @Test func registerLoginAndLogout() async throws {
        try await withAccounts(profiles: nil) { accounts in
            let (token, id, registered) = try await accounts.register("Alice", email: "Alice@Example.com", displayName: "Alice A.")
            #expect(registered.headers["cache-control"] == "no-store")
            let user = registered.json["user"] as? [String: Any] ?? [:]
            #expect(user["handle"] as? String == "Alice")
            #expect(user["email"] as? String == "Alice@Example.com")
            #expect(user["role"] as? String == "user")
            #expect(user["email_verified"] as? Bool == false)
            #expect(user["display_name"] as? String == "Alice A.")
            #expect(Int64(id) != nil, "ids are 64-bit integers serialised as strings")
            #expect((registered.json["session"] as? [String: Any])?["id"] is String)
            #expect(registered.json["csrf_token"] == nil, "token mode has no CSRF token")
            #expect(registered.headers["set-cookie"] == nil, "token mode sets no cookie")

            // Login by handle or email, in any case.
            for login in ["alice", "ALICE@example.COM"] {
                let response = try await accounts.login(login)
                #expect(response.status == 200, "\(response.text)")
                #expect((response.json["user"] as? [String: Any])?["id"] as? String == id)
                #expect((response.json["token"] as? String)?.count == 43)
            }

            // A wrong password and an unknown account read exactly the same.
            let wrong = try await accounts.login("alice", password: "not the password")
            let unknown = try await accounts.login("nobody_here", password: "not the password")
            expectRefusal(wrong, 401, "invalid_credentials")
            expectRefusal(unknown, 401, "invalid_credentials")
            // Text PostgreSQL cannot store is the client's mistake (422), never a 500.
            expectRefusal(try await accounts.login("ali\u{0}ce"), 422, "validation_failed")
            #expect(wrong.body == unknown.body)

            let sessions = try await accounts.send("GET", "/api/v1/auth/sessions", token: token)
            #expect(sessions.status == 200, "\(sessions.text)")
            let items = sessions.json["items"] as? [[String: Any]] ?? []
            #expect(items.count == 3)
            #expect(items.filter { $0["current"] as? Bool == true }.count == 1)
            #expect(sessions.json.keys.contains("next_cursor"))
            #expect(items.allSatisfy { ($0["user_agent"] as? String) != nil && ($0["last_seen_at"] as? String)?.hasSuffix("Z") == true })

            // Pagination: 2 per page.
            let first = try await accounts.send("GET", "/api/v1/auth/sessions?limit=2", token: token)
            let cursor = try #require(first.json["next_cursor"] as? String)
            let second = try await accounts.send("GET", "/api/v1/auth/sessions?limit=2&cursor=\(cursor)", token: token)
            #expect((second.json["items"] as? [Any])?.count == 1)
            #expect(second.json["next_cursor"] is NSNull)
            expectRefusal(try await accounts.send("GET", "/api/v1/auth/sessions?limit=zero", token: token), 422, "validation_failed")

            let logout = try await accounts.send("POST", "/api/v1/auth/logout", token: token)
            #expect(logout.status == 204)
            let after = try await accounts.send("GET", "/api/v1/auth/sessions", token: token)
            expectRefusal(after, 401, "invalid_token")
            #expect(after.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
            expectRefusal(try await accounts.send("POST", "/api/v1/auth/logout"), 401, "unauthorized")
            expectRefusal(try await accounts.send("GET", "/api/v1/auth/sessions", token: "garbage"), 401, "invalid_token")

            // Operators see it in /metrics.
            let metrics = try await accounts.host.get("/metrics").text
            func value(_ series: String) -> Double? {
                metrics.split(separator: "\n").first { $0.hasPrefix(series + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
            }
            #expect(value(#"imageapp_auth_logins_total{result="success"}"#) == 2, "\(metrics)")
            #expect(value(#"imageapp_auth_logins_total{result="invalid_credentials"}"#) == 2)
            #expect(value("imageapp_auth_registrations_total") == 1)
            #expect((value(#"imageapp_auth_session_lookups_total{source="database"}"#) ?? 0) >= 1)
            #expect((value("imageapp_auth_unknown_tokens_total") ?? 0) >= 1)
            #expect(metrics.contains("imageapp_auth_password_hash_seconds_bucket"))
        }
    }

    @Test func registrationRules() async throws {
        try await withAccounts(profiles: nil) { accounts in
            let empty = try await accounts.send("POST", "/api/v1/auth/register", json: [String: String]())
            expectRefusal(empty, 422, "validation_failed")
            #expect(refusalDetails(empty) == ["handle": "is required", "email": "is required", "password": "is required"])

            let cases: [([String: String], String, String)] = [
                (["handle": "ab"], "handle", "must be 3 to 30 characters"),
                (["handle": String(repeating: "a", count: 31)], "handle", "must be 3 to 30 characters"),
                (["handle": "bad-handle"], "handle", "may contain only letters a-z, digits and underscores"),
                (["handle": "Admin"], "handle", "is reserved"),
                (["handle": "me"], "handle", "must be 3 to 30 characters"),
                (["handle": "support"], "handle", "is reserved"),
                (["email": "no-at-sign"], "email", "is not a valid email address"),
                (["email": "a@localhost"], "email", "is not a valid email address"),
                (["email": "a b@example.com"], "email", "is not a valid email address"),
                (["password": "short"], "password", "must be at least 8 characters"),
                (["password": "Password123"], "password", "is too common"),
                (["password": "carol_c_99", "handle": "carol_c_99"], "password", "must not be your handle"),
                (["display_name": String(repeating: "x", count: 51)], "display_name", "must be at most 50 characters"),
                (["display_name": "two\nlines"], "display_name", "must be one line without control or invisible formatting characters"),
            ]
            for (override, field, problem) in cases {
                var body: [String: Any] = ["handle": "carol", "email": "carol@example.com", "password": "a fine passphrase"]
                for (key, value) in override { body[key] = value }
                let response = try await accounts.send("POST", "/api/v1/auth/register", json: body)
                expectRefusal(response, 422, "validation_failed")
                #expect(refusalDetails(response)[field] == problem, "\(override): \(response.text)")
            }

            // Malformed JSON is a 400, a wrong type too.
            let malformed = try await accounts.host.request(
                "POST",
                "/api/v1/auth/register",
                headers: ["Content-Type": "application/json"],
                body: Data("{nope".utf8)
            )
            expectRefusal(malformed, 400, "invalid_json")
            expectRefusal(try await accounts.send("POST", "/api/v1/auth/register", json: ["handle": 5]), 400, "invalid_json")

            // Uniqueness is case-insensitive for handles and emails.
            try await accounts.register("Dave_1", email: "dave@example.com")
            let sameHandle = try await accounts.send(
                "POST",
                "/api/v1/auth/register",
                json: ["handle": "dAVE_1", "email": "other@example.com", "password": "a fine passphrase"]
            )
            expectRefusal(sameHandle, 409, "handle_taken")
            #expect(refusalDetails(sameHandle) == ["handle": "is taken"])
            let sameEmail = try await accounts.send(
                "POST",
                "/api/v1/auth/register",
                json: ["handle": "dave_2", "email": "DAVE@EXAMPLE.COM", "password": "a fine passphrase"]
            )
            expectRefusal(sameEmail, 409, "email_taken")

            // Random bodies never crash the route: always a 4xx in the error shape or a 201.
            var random = SplitMix64(state: 0xA11CE)
            let alphabet = Array("{}[]\":,abc@._ 0123456789\\nulltrue-".utf8)
            for _ in 0..<150 {
                let length = Int(random.next() % 80)
                let body = Data((0..<length).map { _ in alphabet[Int(random.next() % UInt64(alphabet.count))] })
                let response = try await accounts.host.request(
                    "POST",
                    "/api/v1/auth/register",
                    headers: ["Content-Type": "application/json"],
                    body: body
                )
                #expect(
                    (400..<500).contains(response.status) || response.status == 201,
                    "\(String(decoding: body, as: UTF8.self)) → \(response.status)"
                )
                if response.status >= 400 { #expect(response.errorCode != nil) }
            }
        }
    }

    @Test func cookieSessionsNeedCSRF() async throws {
        try await withAccounts(auth: "cookie_secure = true", profiles: nil) { accounts in
            // A browser (it sends Origin) gets cookie mode without asking.
            let registered = try await accounts.send(
                "POST",
                "/api/v1/auth/register",
                json: ["handle": "erin", "email": "erin@example.com", "password": "a fine passphrase"],
                headers: ["Origin": "https://photos.example"]
            )
            #expect(registered.status == 201, "\(registered.text)")
            #expect(registered.json["token"] == nil, "cookie mode puts no token in the body")
            let csrf = try #require(registered.json["csrf_token"] as? String)
            let setCookie = registered.headers["set-cookie"] ?? ""
            #expect(setCookie.contains("ia_session="))
            #expect(setCookie.contains("HttpOnly"))
            #expect(setCookie.contains("SameSite=Lax"))
            #expect(setCookie.contains("Secure"))
            let session = try #require(
                setCookie.range(of: #"ia_session=[A-Za-z0-9_-]{43}"#, options: .regularExpression).map { String(setCookie[$0]) }
            )
            let cookie = ["Cookie": "theme=dark; \(session)"]

            let list = try await accounts.send("GET", "/api/v1/auth/sessions", headers: cookie)
            #expect(list.status == 200, "safe methods need no CSRF token: \(list.text)")
            // The database slid the session's expiry on this first use, and the cookies slide with it.
            #expect(list.headers["set-cookie"]?.contains("Max-Age=2592000") == true, "\(list.headers)")

            expectRefusal(try await accounts.send("POST", "/api/v1/auth/logout", headers: cookie), 403, "csrf_failed")
            expectRefusal(
                try await accounts.send("POST", "/api/v1/auth/logout", headers: cookie.merging(["X-CSRF-Token": String(csrf.reversed())]) { $1 }),
                403,
                "csrf_failed"
            )
            let logout = try await accounts.send("POST", "/api/v1/auth/logout", headers: cookie.merging(["X-CSRF-Token": csrf]) { $1 })
            #expect(logout.status == 204, "\(logout.text)")
            #expect(logout.headers["set-cookie"]?.contains("Max-Age=0") == true)

            // A dead cookie leaves the request anonymous rather than failing it, and the browser is told to drop it.
            expectRefusal(try await accounts.send("GET", "/api/v1/auth/sessions", headers: cookie), 401, "unauthorized")
            let hello = try await accounts.send("POST", "/api/v1/auth/password/forgot", json: ["email": "erin@example.com"], headers: cookie)
            #expect(hello.status == 202)
            #expect(hello.headers["set-cookie"]?.contains("ia_session=; Path=/; Max-Age=0") == true, "\(hello.headers)")
            // An explicit "token" wins over the browser heuristics.
            let api = try await accounts.send(
                "POST",
                "/api/v1/auth/login",
                json: ["login": "erin", "password": "a fine passphrase", "session": "token"],
                headers: ["Origin": "https://photos.example"]
            )
            #expect(api.json["token"] is String)
            #expect(api.headers["set-cookie"]?.contains("ia_session") != true, "only the device cookie")
            // Login CSRF: a cross-site form cannot send JSON, so a cookie session is only opened for JSON.
            let form = try await accounts.host.request(
                "POST",
                "/api/v1/auth/login",
                headers: ["Content-Type": "text/plain", "Origin": "https://evil.example"],
                body: Data(#"{"login":"erin","password":"a fine passphrase"}"#.utf8)
            )
            expectRefusal(form, 415, "unsupported_media_type")
            #expect(form.headers["set-cookie"] == nil)
        }
    }

    @Test func sessionsAreYoursAlone() async throws {
        try await withAccounts(profiles: nil) { accounts in
            let (aliceToken, _, _) = try await accounts.register("alice")
            let second = try await accounts.login("alice")
            let secondToken = try #require(second.json["token"] as? String)
            let secondID = try #require((second.json["session"] as? [String: Any])?["id"] as? String)
            let (bobToken, _, _) = try await accounts.register("bob")

            // Bob cannot see or end Alice's sessions: "not found", like a session that does not exist.
            let bobs = try await accounts.send("GET", "/api/v1/auth/sessions", token: bobToken)
            #expect((bobs.json["items"] as? [[String: Any]])?.map { $0["id"] as? String }.contains(secondID) == false)
            expectRefusal(try await accounts.send("DELETE", "/api/v1/auth/sessions/\(secondID)", token: bobToken), 404, "session_not_found")
            expectRefusal(try await accounts.send("DELETE", "/api/v1/auth/sessions/999999999999", token: bobToken), 404, "session_not_found")
            expectRefusal(try await accounts.send("DELETE", "/api/v1/auth/sessions/not-a-number", token: bobToken), 404, "session_not_found")
            #expect(try await accounts.send("GET", "/api/v1/auth/sessions", token: secondToken).status == 200)

            // Alice ends her other session: it stops working at once (it was cached a moment ago).
            #expect(try await accounts.send("DELETE", "/api/v1/auth/sessions/\(secondID)", token: aliceToken).status == 204)
            expectRefusal(try await accounts.send("GET", "/api/v1/auth/sessions", token: secondToken), 401, "invalid_token")
            #expect(try await accounts.send("GET", "/api/v1/auth/sessions", token: aliceToken).status == 200)
        }
    }

    @Test func revocationReachesEveryInstance() async throws {
        try await withAccounts(profiles: nil) { accounts in
            let other = try await accounts.startInstance()

            let (token, _, _) = try await accounts.register("frank")
            let second = try await accounts.login("frank")
            let secondToken = try #require(second.json["token"] as? String)
            let secondID = try #require((second.json["session"] as? [String: Any])?["id"] as? String)
            // Warm the second instance's caches (Redis and its own memory).
            let bearer = ["Authorization": "Bearer \(secondToken)"]
            #expect(try await other.get("/api/v1/auth/sessions", headers: bearer).status == 200)
            #expect(try await other.get("/api/v1/auth/sessions", headers: bearer).status == 200)

            #expect(try await accounts.send("DELETE", "/api/v1/auth/sessions/\(secondID)", token: token).status == 204)
            // Pub/sub delivery to the other instance takes a moment at most.
            let status = try await eventually({ try await other.get("/api/v1/auth/sessions", headers: bearer).status }) { $0 == 401 }
            #expect(status == 401)
        }
    }

    @Test func aRevocationMissedWhileDisconnectedDoesNotOutliveTheReconnect() async throws {
        // Copies that outlive the test: only the reconnect can end this one's use.
        try await withAccounts(auth: "local_session_cache_ms = 600000", profiles: nil) { accounts in
            let (token, _, _) = try await accounts.register("gwen")
            let bearer = ["Authorization": "Bearer \(token)"]
            #expect(try await accounts.host.get("/api/v1/auth/sessions", headers: bearer).status == 200)

            // The session ends where this process cannot hear it (as if the revocation was published while it was
            // cut off from Redis): in PostgreSQL and the shared cache, with no message. Its memory still opens it.
            let namespace = accounts.testHost.resources.namespace
            #expect(try PostgresProbe.execute(accounts.database.url, "UPDATE auth_sessions SET expires_at = now() - interval '1 second'") == 1)
            RedisKeys.deleteAll(prefix: "\(namespace):auth:session:")
            #expect(try await accounts.host.get("/api/v1/auth/sessions", headers: bearer).status == 200)

            // Its pub/sub connection drops and comes back: what it may have missed, it no longer trusts.
            #expect(RedisKeys.killSubscribers(namespace: namespace) == 1)
            let status = try await eventually({ try await accounts.host.get("/api/v1/auth/sessions", headers: bearer).status }) { $0 == 401 }
            #expect(status == 401)
        }
    }

    @Test func passwordResetEndsEverySession() async throws {
        try await withAccounts(auth: "reset_token_ttl_seconds = 900", profiles: nil) { accounts in
            let (token, _, _) = try await accounts.register("grace", email: "grace@example.com")
            let known = try await accounts.send("POST", "/api/v1/auth/password/forgot", json: ["email": "GRACE@example.com"])
            let unknown = try await accounts.send("POST", "/api/v1/auth/password/forgot", json: ["email": "nobody@example.com"])
            #expect(known.status == 202)
            #expect(known.body == unknown.body, "the answer must not reveal whether the account exists")
            expectRefusal(try await accounts.send("POST", "/api/v1/auth/password/forgot", json: ["email": "nope"]), 422, "validation_failed")
            let resetToken = try #require(await accounts.mailedToken(to: "grace@example.com", subject: "Reset your password"))
            #expect(accounts.mails().filter { $0.contains("nobody@example.com") }.isEmpty)

            // The database holds only the token's hash.
            let stored = try PostgresProbe.strings(
                accounts.database.url,
                "SELECT encode(token_hash, 'base64') FROM auth_tokens WHERE purpose = 'reset_password'"
            )
            #expect(stored.count == 1 && !stored[0].contains(resetToken))

            expectRefusal(
                try await accounts.send("POST", "/api/v1/auth/password/reset", json: ["token": "x", "password": "a new passphrase"]),
                400,
                "invalid_token"
            )
            expectRefusal(
                try await accounts.send("POST", "/api/v1/auth/password/reset", json: ["token": resetToken, "password": "short"]),
                422,
                "validation_failed"
            )
            let reset = try await accounts.send("POST", "/api/v1/auth/password/reset", json: ["token": resetToken, "password": "a new passphrase"])
            #expect(reset.status == 204, "\(reset.text)")
            expectRefusal(try await accounts.send("GET", "/api/v1/auth/sessions", token: token), 401, "invalid_token")
            expectRefusal(try await accounts.login("grace"), 401, "invalid_credentials")
            #expect(try await accounts.login("grace", password: "a new passphrase").status == 200)
            // Single use.
            expectRefusal(
                try await accounts.send("POST", "/api/v1/auth/password/reset", json: ["token": resetToken, "password": "another passphrase"]),
                400,
                "invalid_token"
            )

            // Expiry: the configured lifetime, and enforced (the token is aged rather than waited for).
            _ = try await accounts.send("POST", "/api/v1/auth/password/forgot", json: ["email": "grace@example.com"])
            let late = try #require(await accounts.mailedToken(to: "grace@example.com", subject: "Reset your password", except: resetToken))
            #expect(late != resetToken)
            let lifetime = try PostgresProbe.strings(
                accounts.database.url,
                "SELECT extract(epoch FROM expires_at - created_at)::int FROM auth_tokens WHERE purpose = 'reset_password' AND used_at IS NULL"
            )
            #expect(lifetime == ["900"])
            try PostgresProbe.execute(accounts.database.url, "UPDATE auth_tokens SET expires_at = now() - interval '1 second' WHERE used_at IS NULL")
            expectRefusal(
                try await accounts.send("POST", "/api/v1/auth/password/reset", json: ["token": late, "password": "another passphrase"]),
                400,
                "invalid_token"
            )
        }
    }

    @Test func passwordChangeEndsOtherSessions() async throws {
        try await withAccounts(profiles: nil) { accounts in
            let (token, _, _) = try await accounts.register("heidi")
            let other = try #require(try await accounts.login("heidi").json["token"] as? String)
            let wrong = try await accounts.send(
                "POST",
                "/api/v1/auth/password/change",
                json: ["current_password": "wrong password", "new_password": "a new passphrase"],
                token: token
            )
            expectRefusal(wrong, 403, "invalid_password")
            #expect(refusalDetails(wrong) == ["current_password": "is wrong"])
            expectRefusal(
                try await accounts.send(
                    "POST",
                    "/api/v1/auth/password/change",
                    json: ["current_password": "correct horse battery", "new_password": "12345678"],
                    token: token
                ),
                422,
                "validation_failed"
            )
            let changed = try await accounts.send(
                "POST",
                "/api/v1/auth/password/change",
                json: ["current_password": "correct horse battery", "new_password": "a new passphrase"],
                token: token
            )
            #expect(changed.status == 204, "\(changed.text)")
            #expect(try await accounts.send("GET", "/api/v1/auth/sessions", token: token).status == 200, "the current session stays")
            expectRefusal(try await accounts.send("GET", "/api/v1/auth/sessions", token: other), 401, "invalid_token")
            expectRefusal(try await accounts.login("heidi"), 401, "invalid_credentials")
            #expect(try await accounts.login("heidi", password: "a new passphrase").status == 200)
        }
    }

    @Test func currentPasswordChecksAreLimited() async throws {
        try await withAccounts(auth: "password_checks_per_account_limit = 2", profiles: "") { accounts in
            let (token, _, _) = try await accounts.register("nina")
            let change = ["current_password": "wrong password", "new_password": "a new passphrase"]
            expectRefusal(try await accounts.send("POST", "/api/v1/auth/password/change", json: change, token: token), 403, "invalid_password")
            expectRefusal(
                try await accounts.send("DELETE", "/api/v1/me", json: ["password": "wrong password"], token: token),
                403,
                "invalid_password"
            )
            // A stolen session is not a fast password oracle: the third check waits, right password or not.
            let limited = try await accounts.send(
                "POST",
                "/api/v1/auth/password/change",
                json: ["current_password": "correct horse battery", "new_password": "a new passphrase"],
                token: token
            )
            expectRefusal(limited, 429, "rate_limited")
            #expect(limited.headers["retry-after"] != nil)
            expectRefusal(
                try await accounts.send("DELETE", "/api/v1/me", json: ["password": "correct horse battery"], token: token),
                429,
                "rate_limited"
            )
        }
    }

    @Test func deletionEndsSessionsAtOnceEvenWithoutAWorker() async throws {
        // An API-only instance consumes no events: the sessions must still go at once (the in-process eviction).
        try await withAccounts(profiles: "", role: "api") { accounts in
            let (token, _, _) = try await accounts.register("olga")
            #expect(try await accounts.send("GET", "/api/v1/auth/sessions", token: token).status == 200)
            #expect(try await accounts.send("DELETE", "/api/v1/me", json: ["password": "correct horse battery"], token: token).status == 204)
            // Right after the commit, in this process: a moment after the answer at most.
            let after = try await eventually({ try await accounts.send("GET", "/api/v1/auth/sessions", token: token) }) { $0.status == 401 }
            expectRefusal(after, 401, "invalid_token")
        }
    }

    @Test func emailVerification() async throws {
        try await withAccounts(auth: "verification_token_ttl_seconds = 600", profiles: nil) { accounts in
            let (token, _, _) = try await accounts.register("ivan", email: "ivan@example.com")
            let mailed = try #require(await accounts.mailedToken(to: "ivan@example.com", subject: "Confirm your email address"))
            #expect(accounts.mails().last?.contains("https://photos.example/verify-email?token=") == true)
            expectRefusal(
                try await accounts.send("POST", "/api/v1/auth/email/verify", json: ["token": String(mailed.reversed())]),
                400,
                "invalid_token"
            )
            let verified = try await accounts.send("POST", "/api/v1/auth/email/verify", json: ["token": mailed])
            #expect(verified.status == 200, "\(verified.text)")
            #expect(verified.json["email_verified"] as? Bool == true)
            expectRefusal(try await accounts.send("POST", "/api/v1/auth/email/verify", json: ["token": mailed]), 400, "invalid_token")
            let again = try await accounts.send("POST", "/api/v1/auth/email/resend", token: token)
            #expect(again.status == 202)
            #expect(again.json["message"] as? String == "Your email address is already confirmed.")

            // An expired link fails; a resent one works.
            let (judyToken, _, _) = try await accounts.register("judy", email: "judy@example.com")
            let expired = try #require(await accounts.mailedToken(to: "judy@example.com", subject: "Confirm"))
            let lifetime = try PostgresProbe.strings(
                accounts.database.url,
                "SELECT extract(epoch FROM expires_at - created_at)::int FROM auth_tokens WHERE used_at IS NULL"
            )
            #expect(lifetime == ["600"])
            try PostgresProbe.execute(accounts.database.url, "UPDATE auth_tokens SET expires_at = now() - interval '1 second' WHERE used_at IS NULL")
            expectRefusal(try await accounts.send("POST", "/api/v1/auth/email/verify", json: ["token": expired]), 400, "invalid_token")
            #expect(try await accounts.send("POST", "/api/v1/auth/email/resend", token: judyToken).status == 202)
            let fresh = try #require(await accounts.mailedToken(to: "judy@example.com", subject: "Confirm", except: expired))
            #expect(fresh != expired)
            #expect(try await accounts.send("POST", "/api/v1/auth/email/verify", json: ["token": fresh]).status == 200)
        }
    }

    @Test func sendmailMailerHandsMessagesToTheSystem() async throws {
        let spool = try TemporaryDirectory.make()
        let script = spool + "/sendmail"
        try """
        #!/bin/sh
        printf '%s\\n' "$@" > "\(spool)/args"
        cat > "\(spool)/message.tmp" && mv "\(spool)/message.tmp" "\(spool)/message.eml"
        """.write(toFile: script, atomically: true, encoding: .utf8)
        chmod(script, 0o755)
        try await withAccounts(auth: "mailer = \"sendmail\"\nsendmail_path = \"\(script)\"", profiles: nil) { accounts in
            try await accounts.register("rosa", email: "rosa@example.com")
            let message = try String(contentsOfFile: spool + "/message.eml", encoding: .utf8)
            #expect(message.contains("To: rosa@example.com\r\n"))
            #expect(message.contains("Subject: Confirm your email address\r\n"))
            #expect(message.contains("https://photos.example/verify-email?token="))
            #expect(try String(contentsOfFile: spool + "/args", encoding: .utf8) == "-t\n-i\n")
            #expect(accounts.mails().isEmpty, "nothing goes to the file outbox")
        }

        // A mail system that fails does not fail the registration (the link can be sent again).
        try await withAccounts(auth: "mailer = \"sendmail\"\nsendmail_path = \"/bin/false\"", profiles: nil) { failing in
            try await failing.register("sven")
            #expect(failing.host.stderr.contains("could not send the verification mail"))
        }
        try? FileManager.default.removeItem(atPath: spool)
    }

    @Test func loginLimitsTriggerAndReset() async throws {
        try await withAccounts(
            auth: """
                login_failures_per_account_limit = 3
                login_failures_per_account_window_seconds = 30
                login_per_ip_limit = 12
                login_per_ip_window_seconds = 120
                """,
            profiles: nil
        ) { accounts in
            try await accounts.register("karl")

            for _ in 0..<3 { expectRefusal(try await accounts.login("karl", password: "wrong guess!"), 401, "invalid_credentials") }
            // Locked: even the right password waits, and the answer says for how long.
            let limited = try await accounts.login("karl")
            expectRefusal(limited, 429, "rate_limited")
            #expect(Int(limited.headers["retry-after"] ?? "") ?? 0 >= 1)
            #expect(limited.headers["ratelimit-limit"] == "3")
            #expect(limited.headers["ratelimit-remaining"] == "0")
            #expect(limited.headers["ratelimit-reset"] != nil)
            // An unknown name is limited exactly the same way, so the limit reveals nothing.
            for _ in 0..<3 { expectRefusal(try await accounts.login("ghost_user", password: "wrong guess!"), 401, "invalid_credentials") }
            expectRefusal(try await accounts.login("ghost_user", password: "wrong guess!"), 429, "rate_limited")

            // The window passes; a success then clears the failures.
            try await Task.sleep(for: .milliseconds(30_300))
            #expect(try await accounts.login("karl").status == 200)
            for _ in 0..<2 { expectRefusal(try await accounts.login("karl", password: "wrong guess!"), 401, "invalid_credentials") }
            #expect(try await accounts.login("karl").status == 200)

            // Per address: 12 attempts per window in all, whatever the account — those 12 are used up.
            let spray = try await accounts.login("spray", password: "wrong guess!")
            expectRefusal(spray, 429, "rate_limited")
            #expect(spray.headers["ratelimit-limit"] == "12")
        }
    }

    @Test func aGuesserElsewhereDoesNotLockTheOwnerOut() async throws {
        try await withAccounts(
            auth: """
                login_failures_per_account_limit = 3
                login_attempts_per_account_total_limit = 5
                login_untrusted_lockout_seconds = 60
                """,
            profiles: nil,
            host: #"trusted_proxies = ["127.0.0.1"]"#
        ) { accounts in
            try await accounts.register("paula")
            func login(_ password: String, from address: String) async throws -> Int {
                try await accounts.send(
                    "POST",
                    "/api/v1/auth/login",
                    json: ["login": "paula", "password": password, "session": "token"],
                    headers: ["X-Forwarded-For": address]
                ).status
            }
            for _ in 0..<3 { #expect(try await login("wrong guess!", from: "203.0.113.9") == 401) }
            #expect(try await login("correct horse battery", from: "203.0.113.9") == 429, "the guesser's address is locked")
            #expect(try await login("correct horse battery", from: "198.51.100.1") == 200, "the owner's is not")
            // Guessing from many addresses meets the name's budget for clients without a device cookie, wherever the next
            // attempt comes from; the owner's success does not refill it (4 of 5 are spent).
            #expect(try await login("wrong guess!", from: "203.0.113.10") == 401)
            #expect(try await login("wrong guess!", from: "203.0.113.11") == 429)
            #expect(try await login("correct horse battery", from: "198.51.100.2") == 429)
        }
    }

    @Test func addressLimitsGroupIPv6By64AndTrustOnlyConfiguredProxies() async throws {
        try await withAccounts(
            auth: "login_per_ip_limit = 2\nlogin_per_ip_window_seconds = 120",
            profiles: nil,
            host: #"trusted_proxies = ["127.0.0.1"]"#
        ) { accounts async throws in  // explicit: a `try` only inside #expect does not make a closure throwing
            // Two addresses of one /64 share a budget of 2; the next /64 has its own.
            #expect(try await accounts.failedLoginStatus(from: "2001:db8:1:2::1") == 401)
            #expect(try await accounts.failedLoginStatus(from: "2001:db8:1:2:ffff::9") == 401)
            #expect(try await accounts.failedLoginStatus(from: "2001:db8:1:2:abcd::5") == 429)
            #expect(try await accounts.failedLoginStatus(from: "2001:db8:1:3::1") == 401)
            // IPv4 addresses count one by one.
            #expect(try await accounts.failedLoginStatus(from: "203.0.113.7") == 401)
            #expect(try await accounts.failedLoginStatus(from: "203.0.113.8") == 401)
        }

        // Without trusted proxies, X-Forwarded-For is the client's own claim and is ignored.
        try await withAccounts(auth: "login_per_ip_limit = 2\nlogin_per_ip_window_seconds = 120", profiles: nil) { direct in
            var statuses: [Int] = []
            for index in 0..<3 {
                statuses.append(
                    try await direct.send(
                        "POST",
                        "/api/v1/auth/login",
                        json: ["login": "nobody", "password": "wrong guess!"],
                        headers: ["X-Forwarded-For": "198.51.100.\(index)"]
                    ).status
                )
            }
            #expect(statuses == [401, 401, 429])
        }
    }

    @Test func openAPIDocumentsTheAuthRoutes() async throws {
        try await withAccounts(profiles: nil) { accounts in
            let document = try await accounts.host.get("/api/v1/openapi.json")
            let paths = document.json["paths"] as? [String: Any] ?? [:]
            for path in [
                "/api/v1/auth/register", "/api/v1/auth/login", "/api/v1/auth/logout", "/api/v1/auth/password/forgot",
                "/api/v1/auth/password/reset", "/api/v1/auth/password/change", "/api/v1/auth/email/verify",
                "/api/v1/auth/sessions", "/api/v1/auth/sessions/{id}", "/api/v1/admin/users",
                "/api/v1/admin/users/{handle}/ban",
            ] {
                #expect(paths[path] != nil, "\(path) is missing from the OpenAPI document")
            }
        }
    }
}
