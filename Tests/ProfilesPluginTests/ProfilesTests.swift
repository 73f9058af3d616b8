import Foundation
import ImageAppTesting
import Testing

@testable import ImageAppHost

/// The `profiles` plugin end to end over HTTP, with `auth` and `storage-fs` on real PostgreSQL and Redis: `/me`,
/// editing, avatars (multipart, checked by content), account deletion and public profiles.
@Suite(.timeLimit(.minutes(12)))
struct ProfilesTests {
    // MARK: GET /me

    @Test func meNeedsALoginAndShowsTheRegistration() async throws {
        try await withAccounts { accounts in
            expectRefusal(try await accounts.send("GET", "/api/v1/me"), 401, "unauthorized")
            expectRefusal(try await accounts.send("GET", "/api/v1/me", token: "not-a-token"), 401, "invalid_token")

            let (token, id, _) = try await accounts.register("Alice", displayName: "  Alice Liddell ")
            // The profile is made by the worker's `user.registered` handler, moments after the response.
            let me = try await eventually { () async throws -> HTTPResult? in
                let response = try await accounts.send("GET", "/api/v1/me", token: token)
                return response.json["display_name"] as? String == "Alice Liddell" ? response : nil
            }
            #expect(me.status == 200, "\(me.text)")
            #expect(me.headers["cache-control"] == "no-store")
            #expect(me.json["id"] as? String == id)
            #expect(me.json["handle"] as? String == "Alice")
            #expect(me.json["bio"] as? String == "")
            #expect(me.json["avatar_url"] is NSNull)
            #expect(me.json["email"] as? String == "Alice@example.com")
            #expect(me.json["email_verified"] as? Bool == false)
            #expect(me.json["role"] as? String == "user")
            #expect((me.json["created_at"] as? String)?.hasSuffix("Z") == true)
            #expect(me.json["counts"] as? [String: Int] == ["posts": 0, "followers": 0, "following": 0])

            // Without a display name at registration: null, never a missing key.
            let (otherToken, _, _) = try await accounts.register("bob_b")
            let other = try await accounts.send("GET", "/api/v1/me", token: otherToken)
            #expect(other.status == 200)
            #expect(other.json["display_name"] is NSNull, "\(other.text)")
        }
    }

    // MARK: PATCH /me

    @Test func patchEditsAndValidates() async throws {
        try await withAccounts { accounts in
            let (token, id, _) = try await accounts.register("carol", displayName: "Carol")
            func patch(_ body: Any) async throws -> HTTPResult {
                try await accounts.send("PATCH", "/api/v1/me", json: body, token: token)
            }

            let edited = try await patch(["display_name": "  Carol C. 👩🏽‍💻 ", "bio": "Photos of\r\nclouds.\n"])
            #expect(edited.status == 200, "\(edited.text)")
            #expect(edited.json["display_name"] as? String == "Carol C. 👩🏽‍💻")
            #expect(edited.json["bio"] as? String == "Photos of\nclouds.")
            #expect(edited.json["email"] as? String == "carol@example.com", "answers like GET /me")
            #expect(edited.headers["cache-control"] == "no-store")

            // Fields left out stay; null and blank remove the name; null empties the bio.
            let bioOnly = try await patch(["bio": "Only clouds."])
            #expect(bioOnly.json["display_name"] as? String == "Carol C. 👩🏽‍💻")
            #expect(bioOnly.json["bio"] as? String == "Only clouds.")
            #expect(try await patch(["display_name": NSNull()]).json["display_name"] is NSNull)
            #expect(try await patch(["display_name": "Carol"]).json["display_name"] as? String == "Carol")
            #expect(try await patch(["display_name": " \u{3164} "]).json["display_name"] is NSNull, "invisible is blank")
            expectRefusal(try await patch(["display_name": " \u{200B} "]), 422, "validation_failed")
            #expect(try await patch(["bio": NSNull()]).json["bio"] as? String == "")
            let unchanged = try await patch([String: String]())
            #expect(unchanged.status == 200)
            #expect(unchanged.json["display_name"] is NSNull)

            // Limits count code points, as the OpenAPI schema's maxLength does: 250 flags (two each) are fine, and so
            // are 50 precomposed é; 251 flags or 501 letters are not.
            let flags = String(repeating: "🇳🇿", count: 250)
            #expect(try await patch(["bio": flags, "display_name": String(repeating: "é", count: 50)]).status == 200)
            #expect(try await patch(["bio": flags + "🇳🇿"]).status == 422)
            let longBio = try await patch(["bio": String(repeating: "a", count: 501)])
            expectRefusal(longBio, 422, "validation_failed")
            #expect(refusalDetails(longBio) == ["bio": "must be at most 500 characters"])
            let longName = try await patch(["display_name": String(repeating: "n", count: 51)])
            expectRefusal(longName, 422, "validation_failed")
            #expect(refusalDetails(longName).keys.sorted() == ["display_name"])
            expectRefusal(try await patch(["display_name": "two\nlines"]), 422, "validation_failed")
            let nul = try await patch(["bio": "nul \u{0} byte"])
            expectRefusal(nul, 422, "validation_failed")
            #expect(refusalDetails(nul).keys.sorted() == ["bio"])

            // Unknown fields are named (with every other problem at once); nothing was changed by a refused request.
            let unknown = try await patch(["display_name": "New", "avatar_url": "http://evil.example/x.png", "Bio": "x"])
            expectRefusal(unknown, 422, "validation_failed")
            #expect(refusalDetails(unknown).keys.sorted() == ["Bio", "avatar_url"])
            let several = try await patch(["bio": String(repeating: "b", count: 600), "role": "admin"])
            #expect(refusalDetails(several).keys.sorted() == ["bio", "role"])
            let me = try await accounts.send("GET", "/api/v1/me", token: token)
            #expect(me.json["display_name"] as? String == String(repeating: "é", count: 50))
            #expect(me.json["role"] as? String == "user")

            // Not JSON, not an object, a wrong type: 400 invalid_json.
            let malformed: [(String, String?)] = [
                ("{\"bio\": ", nil), ("[1, 2]", nil), ("", nil), ("{\"bio\": 42}", "bio"), ("{\"display_name\": []}", "display_name"),
            ]
            for (body, field) in malformed {
                let response = try await accounts.host.request(
                    "PATCH",
                    "/api/v1/me",
                    headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"],
                    body: Data(body.utf8)
                )
                expectRefusal(response, 400, "invalid_json")
                if let field { #expect(refusalDetails(response).keys.sorted() == [field], "\(body)") }
            }
            expectRefusal(try await accounts.send("PATCH", "/api/v1/me", json: ["bio": "x"]), 401, "unauthorized")

            // Each change raised `user.profile_updated` with what others see; a no-op raised nothing.
            let events = try accounts.profileEvents()
            #expect(events.count == 7, "\(events)")
            let first = try #require(events.first)
            #expect(first["user_id"] as? String == id)
            #expect(first["handle"] as? String == "carol")
            #expect(first["display_name"] as? String == "Carol C. 👩🏽‍💻")
            #expect(first["bio"] as? String == "Photos of\nclouds.")
            #expect(first["avatar_url"] is NSNull)
            _ = try await patch(["bio": flags])
            #expect(try accounts.profileEvents().count == 7)
        }
    }

    /// Issue 14, item 4: a name of one letter and thousands of combining marks was one "character" and was stored.
    @Test func namesAndBiosAreBoundedByScalarsRefuseStackedMarksAndAreStoredInNFC() async throws {
        try await withAccounts { accounts in
            let (token, _, _) = try await accounts.register("zoe")
            func patch(_ body: [String: String]) async throws -> HTTPResult {
                try await accounts.send("PATCH", "/api/v1/me", json: body, token: token)
            }
            // A 60 KB name and a 60 KB bio (the route takes 64 KiB), each a handful of "characters".
            let zalgoName = "Q" + String(repeating: "\u{301}", count: 30_000)
            let zalgoBio = String(repeating: "a" + String(repeating: "\u{300}", count: 10_000), count: 3)
            for (field, value) in [("display_name", zalgoName), ("bio", zalgoBio)] {
                let answer = try await patch([field: value])
                expectRefusal(answer, 422, "validation_failed")
                #expect(refusalDetails(answer).keys.sorted() == [field])
            }
            // Short, but a stack: five marks on one letter.
            let stacked = try await patch(["display_name": "Z\u{351}\u{34B}\u{35B}\u{330}\u{345}oe"])
            expectRefusal(stacked, 422, "validation_failed")
            #expect(refusalDetails(stacked)["display_name"]?.contains("combining marks") == true)
            // Decomposed text is stored composed (NFC), and what real scripts need passes.
            let composed = try await patch(["display_name": "Zoe\u{308} Nguye\u{302}\u{303}n", "bio": "שָׁלוֹם\r\nहिन्दी"])
            #expect(composed.status == 200, "\(composed.text)")
            let name = try #require(composed.json["display_name"] as? String)
            #expect(Array(name.unicodeScalars) == Array("Zo\u{EB} Nguy\u{1EC5}n".unicodeScalars))
            #expect(try await accounts.send("GET", "/api/v1/users/zoe").json["display_name"] as? String == name)
            // One scalar that NFC spells out as three: the stored form must fit the limit too.
            expectRefusal(try await patch(["display_name": String(repeating: "\u{FB2C}", count: 20)]), 422, "validation_failed")
        }
    }

    // MARK: PUT /me/avatar

    @Test func avatarRefusals() async throws {
        try await withAccounts(profiles: "avatar_max_bytes = 65536") { accounts in
            let (token, id, _) = try await accounts.register("erin")

            // Text named and declared as a PNG, an SVG, random bytes: told by content.
            let text = try await accounts.putAvatar(Array("hello, I am not a PNG\n".utf8), token: token, filename: "cat.png")
            expectRefusal(text, 415, "unsupported_media_type")
            #expect(refusalDetails(text) == ["avatar": "must be a JPEG, PNG, WebP or GIF image"])
            let svg = try await accounts.putAvatar(ImageFixtures.svg, token: token, filename: "x.svg", type: "image/svg+xml")
            expectRefusal(svg, 415, "unsupported_media_type")
            var random = SplitMix64(state: 7)
            let noise = (0..<2048).map { _ in UInt8.random(in: 0...255, using: &random) }
            expectRefusal(try await accounts.putAvatar(noise, token: token), 415, "unsupported_media_type")

            // Too large: the file itself (checked by the plugin), and the whole body (refused by the host first).
            let big = ImageFixtures.redPixelPNG + [UInt8](repeating: 0, count: 65537 - ImageFixtures.redPixelPNG.count)
            let tooBig = try await accounts.putAvatar(big, token: token)
            expectRefusal(tooBig, 413, "payload_too_large")
            #expect(refusalDetails(tooBig) == ["avatar": "must be at most 65536 bytes"])
            let justRight = try await accounts.putAvatar(Array(big.dropLast()), token: token)
            #expect(justRight.status == 200, "\(justRight.text)")
            let huge = ImageFixtures.redPixelPNG + [UInt8](repeating: 0, count: 200_000)
            expectRefusal(try await accounts.putAvatar(huge, token: token), 413, "payload_too_large")

            // Not multipart at all.
            let json = try await accounts.send("PUT", "/api/v1/me/avatar", json: ["avatar": "data:image/png;base64,AAAA"], token: token)
            expectRefusal(json, 415, "unsupported_media_type")
            let png = Data(ImageFixtures.redPixelPNG)
            expectRefusal(try await put(accounts, token: token, body: png, contentType: "image/png"), 415, "unsupported_media_type")
            expectRefusal(try await put(accounts, token: token, body: png, contentType: nil), 415, "unsupported_media_type")

            // Multipart, but wrong.
            let picture = form([(#"form-data; name="picture"; filename="a.png""#, ImageFixtures.redPixelPNG)])
            let missing = try await put(accounts, token: token, body: picture)
            expectRefusal(missing, 422, "validation_failed")
            #expect(refusalDetails(missing).keys.sorted() == ["avatar"])
            let empty = try await put(accounts, token: token, body: form([(#"form-data; name="avatar"; filename="a.png""#, [])]))
            expectRefusal(empty, 422, "validation_failed")
            #expect(refusalDetails(empty) == ["avatar": "is empty"])
            let twice = try await put(
                accounts,
                token: token,
                body: form([
                    (#"form-data; name="avatar"; filename="a.png""#, ImageFixtures.redPixelPNG),
                    (#"form-data; name="avatar"; filename="b.png""#, ImageFixtures.bluePixelPNG),
                ])
            )
            expectRefusal(twice, 422, "validation_failed")
            #expect(refusalDetails(twice) == ["avatar": "must be sent once"])
            let valid = form([(#"form-data; name="avatar"; filename="a.png""#, ImageFixtures.redPixelPNG)])
            expectRefusal(try await put(accounts, token: token, body: valid.prefix(valid.count - 30)), 400, "invalid_multipart")
            for contentType in [
                "multipart/form-data", "multipart/form-data; boundary=", "multipart/form-data; boundary=\"unclosed",
                "multipart/form-data; boundary=\(String(repeating: "x", count: 71))", "multipart/form-data; boundary=a\\b",
            ] {
                expectRefusal(try await put(accounts, token: token, body: valid, contentType: contentType), 400, "invalid_multipart")
            }
            // A non-ASCII header name (it would crash MultipartKit's parser if it got that far).
            var accented = Data("--\(Self.boundary)\r\nContent-Dispositi".utf8)
            accented.append(contentsOf: [0xC3, 0xB3])
            accented.append(Data("n: form-data; name=\"avatar\"\r\n\r\n".utf8) + Data(ImageFixtures.redPixelPNG))
            accented.append(Data("\r\n--\(Self.boundary)--\r\n".utf8))
            expectRefusal(try await put(accounts, token: token, body: accented), 400, "invalid_multipart")

            // A quoted boundary, other fields around the file, headers in any case: fine.
            let friendly = form(
                [
                    (#"form-data; name="caption""#, Array("hi".utf8)),
                    (#"form-data; name=avatar; filename="a b.png""#, ImageFixtures.bluePixelPNG),
                ],
                boundary: "a quoted:boundary",
                dispositionHeader: "content-disposition"
            )
            let friendlyType = #"Multipart/Form-Data; charset=utf-8; boundary="a quoted:boundary""#
            let quoted = try await put(accounts, token: token, body: friendly, contentType: friendlyType)
            #expect(quoted.status == 200, "\(quoted.text)")

            // Without a login: 401 before anything is read.
            expectRefusal(try await put(accounts, token: nil, body: valid), 401, "unauthorized")
            #expect(try await accounts.send("GET", "/api/v1/me", token: token).json["handle"] as? String == "erin")
            // Nothing refused was stored: only the last accepted avatar's two squares are in the user's folder.
            let files = accounts.storedFiles(under: "avatars/\(id)")
            #expect(files.count == 2 && files.allSatisfy { $0.hasSuffix("/large.webp") || $0.hasSuffix("/small.webp") }, "\(files)")
        }
    }

    /// ~100 broken bodies from a fixed seed (so a failure replays): answered, never with a 5xx, and the host lives on.
    @Test func malformedMultipartNeverFailsTheServer() async throws {
        try await withAccounts(profiles: "avatar_max_bytes = 65536") { accounts in
            let (token, _, _) = try await accounts.register("fuzz_user")
            var random = SplitMix64(state: 0x5EED_2026)
            let valid = form([
                (#"form-data; name="note""#, Array("hello".utf8)),
                (#"form-data; name="avatar"; filename="a.png""#, ImageFixtures.redPixelPNG),
            ])
            var statuses: [Int: Int] = [:]
            for round in 0..<100 {
                var body = [UInt8](valid)
                var contentType = "multipart/form-data; boundary=\(Self.boundary)"
                switch round % 6 {
                case 0:  // Flip some bytes anywhere.
                    for _ in 0..<Int.random(in: 1...8, using: &random) {
                        body[Int.random(in: 0..<body.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                    }
                case 1:  // Cut it short.
                    body = Array(body.prefix(Int.random(in: 0..<body.count, using: &random)))
                case 2:  // Insert bytes, high ones included, often inside the part headers.
                    let at = Int.random(in: 0..<min(body.count, 160), using: &random)
                    let count = Int.random(in: 1...12, using: &random)
                    body.insert(contentsOf: (0..<count).map { _ in UInt8.random(in: 0...255, using: &random) }, at: at)
                case 3:  // Drop a CR or LF.
                    let breaks = body.indices.filter { body[$0] == 13 || body[$0] == 10 }
                    body.remove(at: breaks[Int.random(in: 0..<breaks.count, using: &random)])
                case 4:  // Random bytes altogether.
                    body = (0..<Int.random(in: 0...600, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
                default:  // A mangled Content-Type.
                    let variants = [
                        "multipart/form-data; boundary=", "multipart/form-data; boundary=\"unclosed", "multipart/form-data;;;",
                        "multipart/form-data; boundary=other", "multipart/mixed; boundary=\(Self.boundary)", "text/plain",
                        "multipart/form-data; boundary=\(String(repeating: "-", count: Int.random(in: 1...90, using: &random)))",
                        "multipart/form-data; boundary=\(Self.boundary); boundary=x", "multipart/form-data; boundary=a\\b",
                    ]
                    contentType = variants[Int.random(in: 0..<variants.count, using: &random)]
                }
                let response = try await put(accounts, token: token, body: Data(body), contentType: contentType)
                statuses[response.status, default: 0] += 1
                #expect(response.status < 500, "round \(round): \(response.status) \(response.text)\n\(accounts.host.stderr.suffix(3000))")
                if response.status >= 400 {
                    #expect(response.errorCode != nil, "round \(round): \(response.text)")
                    #expect((response.json["error"] as? [String: Any])?["details"] is [String: Any], "round \(round)")
                }
            }
            #expect(statuses.keys.contains { $0 >= 400 }, "\(statuses)")
            #expect(try await accounts.host.get("/healthz").status == 200)
            #expect(try await accounts.putAvatar(ImageFixtures.gif, token: token).status == 200)
        }
    }

    // MARK: GET /users/{handle}

    @Test func publicProfiles() async throws {
        // Count queries: one that some plugin registered but answers no integers (left out, logged), one that no
        // plugin registered (skipped).
        try await withAccounts(profiles: #"count_queries = ["auth.account", "nothere.profile_counts"]"#) { accounts in
            let (token, id, _) = try await accounts.register("Frank_F", displayName: "Frank")
            // The display name from registration arrives with the event (an edit made before it would win, so wait).
            let named = try await eventually { () async throws -> HTTPResult? in
                let response = try await accounts.send("GET", "/api/v1/users/frank_f")
                return response.json["display_name"] is NSNull ? nil : response
            }
            #expect(named.json["display_name"] as? String == "Frank")
            _ = try await accounts.send("PATCH", "/api/v1/me", json: ["bio": "Hi."], token: token)

            for handle in ["Frank_F", "frank_f", "FRANK_F"] {
                let profile = try await accounts.send("GET", "/api/v1/users/\(handle)")
                #expect(profile.status == 200, "\(profile.text)")
                #expect(profile.json["id"] as? String == id)
                #expect(profile.json["handle"] as? String == "Frank_F")
                #expect(profile.json["bio"] as? String == "Hi.")
                #expect(profile.json["display_name"] as? String == "Frank")
                #expect(profile.json["avatar_url"] is NSNull)
                #expect(profile.json["avatar_small_url"] is NSNull)
                #expect((profile.json["created_at"] as? String)?.hasSuffix("Z") == true)
                #expect(profile.json["counts"] as? [String: Int] == ["posts": 0, "followers": 0, "following": 0])
                #expect(Set(profile.json.keys) == ["id", "handle", "display_name", "bio", "avatar_url", "avatar_small_url", "created_at", "counts"])
            }
            #expect(accounts.host.stderr.contains("count query 'auth.account' answered"), "\(accounts.host.stderr)")

            for handle in ["nobody_here", "me", String(repeating: "x", count: 65), "a%00b", "%F0%9F%98%80"] {
                expectRefusal(try await accounts.send("GET", "/api/v1/users/\(handle)"), 404, "user_not_found")
            }
        }
    }

    @Test func bannedUsersAreHidden() async throws {
        try await withAccounts { accounts in
            let admin = try await accounts.createAdmin("mod_admin")
            try await accounts.register("gina")
            #expect(try await accounts.send("GET", "/api/v1/users/gina").status == 200)
            let banned = try await accounts.send("POST", "/api/v1/admin/users/gina/ban", json: ["reason": "spam"], token: admin)
            #expect(banned.status == 200, "\(banned.text)")
            expectRefusal(try await accounts.send("GET", "/api/v1/users/gina"), 404, "user_not_found")
            _ = try await accounts.send("POST", "/api/v1/admin/users/gina/unban", token: admin)
            #expect(try await accounts.send("GET", "/api/v1/users/gina").status == 200)
        }
    }

    // MARK: DELETE /me

    @Test func deleteAccount() async throws {
        try await withAccounts { accounts in
            let (token, id, _) = try await accounts.register("hana", displayName: "Hana")
            let (otherToken, _, _) = try await accounts.register("ivan")
            let uploaded = try await accounts.putAvatar(ImageFixtures.redPixelPNG, token: token)
            let avatarFiles = try ["avatar_url", "avatar_small_url"].map { key in
                accounts.mediaPath(try #require(uploaded.json[key] as? String, "\(uploaded.text)"))
            }
            #expect(avatarFiles.allSatisfy { FileManager.default.fileExists(atPath: $0) })

            // auth's refusal, passed on as auth made it: 403, so that a client does not take a mistyped password for an
            // expired session (a 401).
            let wrong = try await accounts.send("DELETE", "/api/v1/me", json: ["password": "not my password"], token: token)
            expectRefusal(wrong, 403, "invalid_password")
            #expect(refusalDetails(wrong) == ["password": "is wrong"])
            for body in [[:], ["password": ""], ["password": NSNull()]] as [[String: Any]] {
                let missing = try await accounts.send("DELETE", "/api/v1/me", json: body, token: token)
                expectRefusal(missing, 422, "validation_failed")
                #expect(refusalDetails(missing).keys.sorted() == ["password"])
            }
            expectRefusal(try await accounts.send("DELETE", "/api/v1/me", token: token), 422, "validation_failed")
            let notJSON = try await accounts.host.request(
                "DELETE",
                "/api/v1/me",
                headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"],
                body: Data("password=x".utf8)
            )
            expectRefusal(notJSON, 400, "invalid_json")
            expectRefusal(try await accounts.send("DELETE", "/api/v1/me", json: ["password": 12_345_678], token: token), 400, "invalid_json")
            let anonymous = try await accounts.send("DELETE", "/api/v1/me", json: ["password": "correct horse battery"])
            expectRefusal(anonymous, 401, "unauthorized")
            #expect(try await accounts.send("GET", "/api/v1/me", token: token).status == 200, "nothing refused deleted anything")

            let deleted = try await accounts.send("DELETE", "/api/v1/me", json: ["password": "correct horse battery"], token: token)
            #expect(deleted.status == 204, "\(deleted.text)")
            #expect(deleted.body.isEmpty)
            let cookies = deleted.headers["set-cookie"] ?? ""
            // auth's own clearing cookies (Secure: the test site's public_url is https).
            #expect(cookies.contains("ia_session=; Path=/; Max-Age=0; SameSite=Lax; Secure; HttpOnly"), "\(cookies)")
            #expect(cookies.contains("ia_csrf=; Path=/; Max-Age=0; SameSite=Lax; Secure"), "\(cookies)")

            expectRefusal(try await accounts.login("hana"), 401, "invalid_credentials")
            expectRefusal(try await accounts.send("GET", "/api/v1/me", token: token), 401, "invalid_token")
            expectRefusal(try await accounts.send("GET", "/api/v1/users/hana"), 404, "user_not_found")
            // The profile row and the avatar go in the `user.deleted` handler, moments later.
            _ = try await eventually { avatarFiles.contains { FileManager.default.fileExists(atPath: $0) } ? nil : true }
            let connection = try PostgresConnection(url: accounts.database.url)
            _ = try await eventually {
                try connection.query("SELECT count(*) FROM profiles WHERE user_id = $1", [.text(id)]).int(0, 0) == 0 ? true : nil
            }
            #expect(try connection.query("SELECT count(*) FROM profiles_deleted_users WHERE user_id = $1", [.text(id)]).int(0, 0) == 1)
            // Others are untouched.
            #expect(try await accounts.send("GET", "/api/v1/me", token: otherToken).status == 200)
            #expect(try await accounts.send("GET", "/api/v1/users/ivan").status == 200)
        }
    }

    // MARK: OpenAPI

    /// The routes are in the OpenAPI document, which is valid OpenAPI 3.1, and real answers fit their schemas.
    @Test func openAPIDescribesTheRoutesAndTheAnswersFit() async throws {
        try await withAccounts { accounts in
            let (token, _, _) = try await accounts.register("jules", displayName: "Jules")
            _ = try await accounts.putAvatar(ImageFixtures.redPixelPNG, token: token)
            let patched = try await accounts.send("PATCH", "/api/v1/me", json: ["bio": "Hello."], token: token)
            let me = try await accounts.send("GET", "/api/v1/me", token: token)
            let user = try await accounts.send("GET", "/api/v1/users/jules")
            #expect(patched.status == 200 && me.status == 200 && user.status == 200)

            let document = try await accounts.host.get("/api/v1/openapi.json")
            let paths = document.json["paths"] as? [String: [String: [String: Any]]] ?? [:]
            for (path, method) in [
                ("/api/v1/me", "get"), ("/api/v1/me", "patch"), ("/api/v1/me", "delete"),
                ("/api/v1/me/avatar", "put"), ("/api/v1/users/{handle}", "get"),
            ] {
                let operation = paths[path]?[method]
                #expect(operation?["tags"] as? [String] == ["profiles"], "\(method) \(path)")
                #expect((operation?["summary"] as? String)?.isEmpty == false, "\(method) \(path)")
                #expect((operation?["security"] != nil) == (path != "/api/v1/users/{handle}"), "\(method) \(path)")
            }
            #expect(paths["/api/v1/me"]?["patch"]?["requestBody"] != nil)
            // The avatar's body is documented as the multipart form it is (ia_route_def.request_content_type, ABI 1.7).
            let avatarBody = (paths["/api/v1/me/avatar"]?["put"]?["requestBody"] as? [String: Any])?["content"] as? [String: Any]
            #expect(avatarBody?.keys.sorted() == ["multipart/form-data"])
            #expect((paths["/api/v1/me"]?["delete"]?["responses"] as? [String: Any])?["204"] != nil)

            let directory = try TemporaryDirectory.make()
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var checks: [String] = []
            for (name, path, method, response) in [
                ("patch", "/api/v1/me", "patch", patched), ("me", "/api/v1/me", "get", me),
                ("user", "/api/v1/users/{handle}", "get", user),
            ] {
                try response.body.write(to: URL(fileURLWithPath: "\(directory)/\(name).json"))
                checks.append("\(path)|\(method)|\(directory)/\(name).json")
            }
            try document.body.write(to: URL(fileURLWithPath: "\(directory)/openapi.json"))
            let script = """
                import json, sys
                from openapi_spec_validator import validate
                from jsonschema import Draft202012Validator
                document = json.load(open(sys.argv[1]))
                validate(document)
                for check in sys.argv[2:]:
                    path, method, file = check.split("|")
                    schema = document["paths"][path][method]["responses"]["200"]["content"]["application/json"]["schema"]
                    Draft202012Validator(schema).validate(json.load(open(file)))
                """
            let check = Process()
            check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            check.arguments = ["python3", "-c", script, "\(directory)/openapi.json"] + checks
            let errors = Pipe()
            check.standardError = errors
            try check.run()
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            check.waitUntilExit()
            #expect(check.terminationStatus == 0, "\(message)")
        }
    }

    // MARK: Settings

    @Test func badSettingsRefuseToLoad() async throws {
        let directory = try TemporaryDirectory.make()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for (setting, expected) in [
            ("avatar_max_bytes = 0", "setting 'avatar_max_bytes' must be from 1 to 67108864, got 0"),
            ("avatar_max_bytes = \"big\"", "setting 'avatar_max_bytes' must be an integer"),
            ("avatar_size = 8", "setting 'avatar_size' must be from 16 to 2048, got 8"),
            ("avatar_size = 64\navatar_small_size = 96", "setting 'avatar_small_size' must be from 16 to 64, got 96"),
            ("avatar_max_side = 0", "setting 'avatar_max_side' must be from 1 to 16383, got 0"),
            ("avatar_concurrency = 0", "setting 'avatar_concurrency' must be from 1 to 256, got 0"),
            (#"count_queries = ["posts.profile_counts", "Not A Query"]"#, "setting 'count_queries' lists 'Not A Query'"),
            ("count_queries = 3", "setting 'count_queries' must be an array of query names"),
        ] {
            let config = """
                [host]
                log_level = "warning"

                [plugins.storage-fs]
                enabled = true
                root = "\(directory)/media"

                [plugins.auth]
                enabled = true
                mail_outbox = "\(directory)/mail"
                public_url = "https://photos.example"

                [plugins.profiles]
                enabled = true
                \(setting)
                """
            let result = try HostProcess.run(["check-config"], config: config)
            #expect(result.status == 1, "\(setting): \(result.stderr)")
            #expect(result.stderr.contains("profiles") && result.stderr.contains(expected), "\(setting): \(result.stderr)")
        }
    }

    // MARK: Helpers

    static let boundary = "profiles-test-boundary-7d1e"

    /// A multipart/form-data body of `parts` (Content-Disposition value, bytes).
    private func form(
        _ parts: [(disposition: String, bytes: [UInt8])],
        boundary: String = ProfilesTests.boundary,
        dispositionHeader: String = "Content-Disposition"
    ) -> Data {
        var body = Data()
        for part in parts {
            body.append(Data("--\(boundary)\r\n\(dispositionHeader): \(part.disposition)\r\n".utf8))
            body.append(Data("Content-Type: application/octet-stream\r\n\r\n".utf8))
            body.append(contentsOf: part.bytes)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        return body
    }

    /// `PUT /api/v1/me/avatar` with a raw body.
    private func put(
        _ accounts: AccountsHost,
        token: String?,
        body: Data,
        contentType: String? = "multipart/form-data; boundary=\(ProfilesTests.boundary)"
    ) async throws -> HTTPResult {
        var headers: [String: String] = [:]
        if let token { headers["Authorization"] = "Bearer \(token)" }
        if let contentType { headers["Content-Type"] = contentType }
        return try await accounts.host.request("PUT", "/api/v1/me/avatar", headers: headers, body: body)
    }
}
