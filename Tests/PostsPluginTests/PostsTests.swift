import Foundation
import ImageAppTesting
import Testing

/// Posts through the API: the shared shape, hashtags and mentions, the lists, refusals and permissions.
@Suite(.timeLimit(.minutes(12)))
struct PostsTests {
    @Test func publishShowAndList() async throws {
        try await withPosts { accounts in
            let (ann, annID, _) = try await accounts.register("ann", displayName: "Ann")
            let (_, bobID, _) = try await accounts.register("Bob_99")
            let first = try await accounts.uploadMedia(token: ann, alt: "a red dot")
            let second = try await accounts.uploadMedia(token: ann, blue: true)
            let caption = "Morning #Café and #日本 with @bob_99, @nobody, a@b.com and https://example.com/#nope #café"
            let created = try await accounts.post(token: ann, caption: caption, mediaIDs: [second, first])
            #expect(created.status == 201, "\(created.text)")
            let post = created.json
            let id = try #require(post["id"] as? String)
            #expect(post["caption"] as? String == caption)
            #expect(post["tags"] as? [String] == ["café", "日本"])
            let mentions = post["mentions"] as? [[String: String]]
            #expect(mentions == [["id": bobID, "handle": "Bob_99"]])
            let author = post["author"] as? [String: Any]
            #expect(author?["id"] as? String == annID)
            #expect(author?["handle"] as? String == "ann")
            #expect(author?["display_name"] as? String == "Ann")
            #expect(author?.keys.contains("avatar_url") == true)
            let media = post["media"] as? [[String: Any]] ?? []
            #expect(media.map { $0["id"] as? String } == [second, first])
            #expect(media.last?["alt"] as? String == "a red dot")
            #expect(post["like_count"] as? Int == 0)
            #expect(post["comment_count"] as? Int == 0)
            #expect(post["liked"] as? Bool == false)
            #expect(post["edited_at"] is NSNull)
            #expect((post["created_at"] as? String)?.hasSuffix("Z") == true)

            // The same post from GET, anonymous and signed in (twice: the second is a cache hit).
            for token in [nil, ann, ann] {
                let shown = try await accounts.send("GET", "/api/v1/posts/\(id)", token: token)
                #expect(shown.status == 200)
                #expect(try Self.canonical(shown.json) == Self.canonical(post), "\(shown.text)")
            }
            // Lists: the user's, and the hashtag's in any case or normal form.
            let mine = try await accounts.send("GET", "/api/v1/users/ANN/posts")
            #expect(mine.status == 200)
            #expect((mine.json["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [id])
            #expect(mine.json["next_cursor"] is NSNull)
            for tag in ["caf%C3%A9", "CAF%C3%89", "Cafe%CC%81", "%E6%97%A5%E6%9C%AC"] {
                let tagged = try await accounts.send("GET", "/api/v1/tags/\(tag)/posts")
                #expect((tagged.json["items"] as? [[String: Any]])?.count == 1, "\(tag): \(tagged.text)")
            }
            #expect((try await accounts.send("GET", "/api/v1/tags/nope/posts").json["items"] as? [Any])?.isEmpty == true)
            expectRefusal(try await accounts.send("GET", "/api/v1/tags/a%20b/posts"), 404, "tag_not_found")
            expectRefusal(try await accounts.send("GET", "/api/v1/users/nobody/posts"), 404, "user_not_found")
            expectRefusal(try await accounts.send("GET", "/api/v1/posts/12345"), 404, "post_not_found")
            expectRefusal(try await accounts.send("GET", "/api/v1/posts/abc"), 404, "post_not_found")
            // The profile counts the post.
            let profile = try await accounts.send("GET", "/api/v1/users/ann")
            #expect((profile.json["counts"] as? [String: Any])?["posts"] as? Int == 1)
            // post.created went through the outbox with what feeds and notifications need.
            let events = try PostgresProbe.strings(accounts.database.url, "SELECT payload FROM ia_outbox WHERE type = 'post.created'")
            let event = try #require(events.first.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] })
            #expect(event["post_id"] as? String == id)
            #expect(event["author_id"] as? String == annID)
            #expect(event["tags"] as? [String] == ["café", "日本"])
            #expect((event["mentions"] as? [[String: String]])?.first?["id"] == bobID)
            #expect(event["media_ids"] as? [String] == [second, first])
        }
    }

    /// JSON text with sorted keys, for comparing documents.
    static func canonical(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test func badPostsAreRefused() async throws {
        try await withPosts { accounts in
            let (ann, _, _) = try await accounts.register("ann")
            let (bob, _, _) = try await accounts.register("bob")
            let mine = try await accounts.uploadMedia(token: ann)
            let bobs = try await accounts.uploadMedia(token: bob)

            expectRefusal(try await accounts.post(token: nil, mediaIDs: [mine]), 401, "unauthorized")
            let eleven = (1...11).map { String($0) }
            let tooMany = try await accounts.post(token: ann, mediaIDs: eleven)
            expectRefusal(tooMany, 422, "validation_failed")
            #expect(refusalDetails(tooMany)["media_ids"] != nil)
            expectRefusal(try await accounts.post(token: ann, mediaIDs: []), 422, "validation_failed")
            expectRefusal(try await accounts.post(token: ann, mediaIDs: [mine, mine]), 422, "validation_failed")
            expectRefusal(try await accounts.send("POST", "/api/v1/posts", json: ["caption": "x"], token: ann), 422, "validation_failed")
            let foreign = try await accounts.post(token: ann, mediaIDs: [mine, bobs])
            expectRefusal(foreign, 422, "invalid_media")
            #expect(refusalDetails(foreign)["media_ids"] != nil)
            expectRefusal(try await accounts.post(token: ann, mediaIDs: ["99999999"]), 422, "invalid_media")
            let long = try await accounts.post(token: ann, caption: String(repeating: "x", count: 2_201), mediaIDs: [mine])
            expectRefusal(long, 422, "validation_failed")
            #expect(refusalDetails(long)["caption"] != nil)
            let tags = (1...31).map { "#t\($0)" }.joined(separator: " ")
            expectRefusal(try await accounts.post(token: ann, caption: tags, mediaIDs: [mine]), 422, "validation_failed")
            expectRefusal(try await accounts.post(token: ann, caption: "\u{202E}evil", mediaIDs: [mine]), 422, "validation_failed")
            expectRefusal(
                try await accounts.send("POST", "/api/v1/posts", json: ["media_ids": [mine], "extra": 1], token: ann),
                422,
                "validation_failed"
            )
            expectRefusal(
                try await accounts.send("POST", "/api/v1/posts", json: ["media_ids": [mine], "caption": 5], token: ann),
                400,
                "invalid_json"
            )
            expectRefusal(try await accounts.send("POST", "/api/v1/posts", json: ["media_ids": "1"], token: ann), 400, "invalid_json")
            expectRefusal(try await accounts.send("POST", "/api/v1/posts", json: [1, 2], token: ann), 400, "invalid_json")
            // Nothing above attached the media: it still makes a post, with the maximum caption; then it is taken.
            let ok = try await accounts.post(token: ann, caption: String(repeating: "é", count: 2_200), mediaIDs: [mine])
            #expect(ok.status == 201, "\(ok.text)")
            let again = try await accounts.post(token: ann, mediaIDs: [mine])
            expectRefusal(again, 422, "invalid_media")
        }
    }

    @Test func editAndDeleteBelongToTheAuthorAndAdmins() async throws {
        try await withPosts { accounts in
            let (ann, _, _) = try await accounts.register("ann")
            let (bob, _, _) = try await accounts.register("bob")
            let admin = try await accounts.createAdmin("boss")
            let media = try await accounts.uploadMedia(token: ann)
            let created = try await accounts.post(token: ann, caption: "first #one", mediaIDs: [media])
            let id = try #require(created.json["id"] as? String)
            let before = Set(accounts.storedFiles())
            #expect(!before.isEmpty)

            expectRefusal(try await accounts.send("PATCH", "/api/v1/posts/\(id)", json: ["caption": "mine now"], token: bob), 403, "forbidden")
            expectRefusal(try await accounts.send("PATCH", "/api/v1/posts/\(id)", json: ["caption": "x"]), 401, "unauthorized")
            expectRefusal(try await accounts.send("PATCH", "/api/v1/posts/\(id)", json: ["alt": ["1": "x"]], token: ann), 422, "validation_failed")
            let edited = try await accounts.send(
                "PATCH",
                "/api/v1/posts/\(id)",
                json: ["caption": "second #two @bob", "alt": [media: "a dot"]],
                token: ann
            )
            #expect(edited.status == 200, "\(edited.text)")
            #expect(edited.json["tags"] as? [String] == ["two"])
            #expect((edited.json["mentions"] as? [[String: String]])?.first?["handle"] == "bob")
            #expect(edited.json["edited_at"] is String)
            #expect((edited.json["media"] as? [[String: Any]])?.first?["alt"] as? String == "a dot")
            // Every instance shows the edit at once, and the tag lists follow it.
            let shown = try await accounts.send("GET", "/api/v1/posts/\(id)")
            #expect(shown.json["caption"] as? String == "second #two @bob")
            #expect((try await accounts.send("GET", "/api/v1/tags/one/posts").json["items"] as? [Any])?.isEmpty == true)
            #expect((try await accounts.send("GET", "/api/v1/tags/two/posts").json["items"] as? [Any])?.count == 1)

            expectRefusal(try await accounts.send("DELETE", "/api/v1/posts/\(id)", token: bob), 403, "forbidden")
            expectRefusal(try await accounts.send("DELETE", "/api/v1/admin/posts/\(id)", token: bob), 403, "forbidden")
            #expect(try await accounts.send("DELETE", "/api/v1/admin/posts/\(id)", token: admin).status == 204)
            expectRefusal(try await accounts.send("GET", "/api/v1/posts/\(id)"), 404, "post_not_found")
            expectRefusal(try await accounts.send("DELETE", "/api/v1/posts/\(id)", token: ann), 404, "post_not_found")
            // The images go after the post.
            let remaining = try await eventually {
                accounts.storedFiles()
            } until: {
                $0.isEmpty
            }
            #expect(remaining.isEmpty, "left: \(remaining)")

            let own = try await accounts.publish(token: ann)
            #expect(try await accounts.send("DELETE", "/api/v1/posts/\(own)", token: ann).status == 204)
            expectRefusal(try await accounts.send("GET", "/api/v1/posts/\(own)"), 404, "post_not_found")
        }
    }

    @Test func listsArePagedNewestFirst() async throws {
        try await withPosts { accounts in
            let (ann, _, _) = try await accounts.register("ann")
            var ids: [String] = []
            for index in 0..<5 { ids.append(try await accounts.publish(token: ann, caption: "#daily \(index)")) }
            for path in ["/api/v1/users/ann/posts", "/api/v1/tags/daily/posts"] {
                var seen: [String] = []
                var cursor: String?
                repeat {
                    let page = try await accounts.send("GET", path + "?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
                    #expect(page.status == 200)
                    let items = (page.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                    #expect(items.count <= 2)
                    seen += items
                    cursor = page.json["next_cursor"] as? String
                } while cursor != nil && seen.count < 10
                #expect(seen == ids.reversed(), "\(path)")
            }
            expectRefusal(try await accounts.send("GET", "/api/v1/users/ann/posts?cursor=forged"), 422, "validation_failed")
            expectRefusal(try await accounts.send("GET", "/api/v1/users/ann/posts?limit=0"), 422, "validation_failed")
        }
    }

    @Test func aBannedAuthorsPostsAreHiddenUntilTheUnban() async throws {
        try await withPosts { accounts in
            let (ann, _, _) = try await accounts.register("ann")
            let admin = try await accounts.createAdmin("boss")
            let id = try await accounts.publish(token: ann, caption: "#hidden soon")
            #expect(try await accounts.send("GET", "/api/v1/posts/\(id)").status == 200)

            #expect(try await accounts.send("POST", "/api/v1/admin/users/ann/ban", json: ["reason": "spam"], token: admin).status == 200)
            expectRefusal(try await accounts.send("GET", "/api/v1/posts/\(id)"), 404, "post_not_found")
            expectRefusal(try await accounts.send("GET", "/api/v1/users/ann/posts"), 404, "user_not_found")
            #expect((try await accounts.send("GET", "/api/v1/tags/hidden/posts").json["items"] as? [Any])?.isEmpty == true)

            #expect(try await accounts.send("POST", "/api/v1/admin/users/ann/unban", json: [String: String](), token: admin).status == 200)
            let back = try await eventually {
                try await accounts.send("GET", "/api/v1/tags/hidden/posts")
            } until: {
                ($0.json["items"] as? [Any])?.count == 1
            }
            #expect((back.json["items"] as? [Any])?.count == 1)
            #expect(try await accounts.send("GET", "/api/v1/posts/\(id)").status == 200)
        }
    }

    @Test func deletingTheAccountDeletesItsPostsAndImages() async throws {
        try await withPosts { accounts in
            let (ann, _, _) = try await accounts.register("ann")
            let (bob, _, _) = try await accounts.register("bob")
            let first = try await accounts.publish(token: ann)
            let second = try await accounts.publish(token: ann, caption: "#gone")
            let kept = try await accounts.publish(token: bob)
            let bobsFiles = accounts.storedFiles()
            #expect(try await accounts.send("DELETE", "/api/v1/me", json: ["password": "correct horse battery"], token: ann).status == 204)
            for id in [first, second] {
                let gone = try await eventually {
                    try await accounts.send("GET", "/api/v1/posts/\(id)")
                } until: {
                    $0.status == 404
                }
                #expect(gone.status == 404)
            }
            let rows = try await eventually {
                try PostgresProbe.strings(accounts.database.url, "SELECT count(*) FROM posts")
            } until: {
                $0 == ["1"]
            }
            #expect(rows == ["1"])
            #expect(try await accounts.send("GET", "/api/v1/posts/\(kept)").status == 200)
            // Bob's image is still there; Ann's went (content-named files: Bob's upload is the same red pixel).
            #expect(bobsFiles.isSuperset(of: accounts.storedFiles()))
            _ = bob
        }
    }

    /// Profile sync from the durable event stream: a profile change whose route died before it could invalidate the
    /// caches (simulated: the row and the outbox event written straight to the database, as a committed transaction
    /// leaves them) still reaches the cached posts, through profiles' worker handler of `user.profile_updated`.
    @Test func aProfileChangeReachesCachedPostsThroughTheEventStream() async throws {
        try await withPosts(posts: "cache_ttl_seconds = 600") { accounts in
            let (ann, annID, _) = try await accounts.register("ann", displayName: "Ann")
            let id = try await accounts.publish(token: ann, caption: "hello")
            for _ in 0..<2 {
                #expect((try await accounts.send("GET", "/api/v1/posts/\(id)").json["author"] as? [String: Any])?["display_name"] as? String == "Ann")
            }
            let url = accounts.database.url
            _ = try PostgresProbe.execute(url, "UPDATE profiles SET display_name = 'Ann Synced' WHERE user_id = \(annID)")
            _ = try PostgresProbe.execute(
                url,
                """
                INSERT INTO ia_outbox (event_id, type, payload, source) VALUES ('test-profile-sync-\(annID)', 'user.profile_updated',
                '{"user_id":"\(annID)","handle":"ann","display_name":"Ann Synced","bio":"","avatar_url":null}', 'profiles')
                """
            )
            let shown = try await eventually(timeout: .seconds(30)) {
                try await accounts.send("GET", "/api/v1/posts/\(id)")
            } until: {
                ($0.json["author"] as? [String: Any])?["display_name"] as? String == "Ann Synced"
            }
            #expect((shown.json["author"] as? [String: Any])?["display_name"] as? String == "Ann Synced")
        }
    }

    @Test func anAuthorsNewNameShowsOnTheirPostsAtOnceOnEveryInstance() async throws {
        try await withPosts { accounts in
            let (ann, _, _) = try await accounts.register("ann", displayName: "Ann")
            let id = try await accounts.publish(token: ann, caption: "hello")
            let other = try await accounts.startInstance()
            // Both instances have the post cached (read twice: the second read is from memory).
            for _ in 0..<2 {
                #expect((try await accounts.send("GET", "/api/v1/posts/\(id)").json["author"] as? [String: Any])?["display_name"] as? String == "Ann")
                #expect((try await other.send("GET", "/api/v1/posts/\(id)").json["author"] as? [String: Any])?["display_name"] as? String == "Ann")
            }
            #expect(try await other.send("PATCH", "/api/v1/me", json: ["display_name": "Ann B."], token: ann).status == 200)
            for host in [accounts.host, other] {
                let shown = try await eventually {
                    try await host.send("GET", "/api/v1/posts/\(id)")
                } until: {
                    ($0.json["author"] as? [String: Any])?["display_name"] as? String == "Ann B."
                }
                #expect((shown.json["author"] as? [String: Any])?["display_name"] as? String == "Ann B.")
            }
            // An edit of the post made on one instance shows on the other.
            #expect(try await other.send("PATCH", "/api/v1/posts/\(id)", json: ["caption": "edited #now"], token: ann).status == 200)
            let edited = try await eventually {
                try await accounts.send("GET", "/api/v1/posts/\(id)")
            } until: {
                $0.json["caption"] as? String == "edited #now"
            }
            #expect(edited.json["caption"] as? String == "edited #now")
        }
    }

    /// `POST /api/v1/posts` as a form with the images themselves.
    private func postForm(
        _ accounts: AccountsHost,
        token: String,
        parts: [(disposition: String, type: String?, bytes: [UInt8])]
    ) async throws -> HTTPResult {
        let boundary = "posts-form-boundary-9b1e"
        return try await accounts.host.request(
            "POST",
            "/api/v1/posts",
            headers: ["Content-Type": "multipart/form-data; boundary=\(boundary)", "Authorization": "Bearer \(token)"],
            body: MultipartForm.body(parts, boundary: boundary)
        )
    }

    @Test func aPostWithItsImagesInOneStep() async throws {
        try await withPosts { accounts in
            let (ann, _, _) = try await accounts.register("ann")
            let jpeg = try ImageFixtures.generated("exif6.jpg")
            let png = try ImageFixtures.generated("small.png")
            let created = try await postForm(
                accounts,
                token: ann,
                parts: [
                    ("form-data; name=\"caption\"", nil, Array("Two at once #oneStep".utf8)),
                    ("form-data; name=\"images\"; filename=\"a.jpg\"", "image/jpeg", jpeg),
                    ("form-data; name=\"images\"; filename=\"b.png\"", "application/octet-stream", png),
                    ("form-data; name=\"alt\"", nil, Array("turned".utf8)),
                ]
            )
            #expect(created.status == 201, "\(created.text)")
            #expect(created.json["tags"] as? [String] == ["onestep"])
            let media = created.json["media"] as? [[String: Any]] ?? []
            #expect(media.count == 2)
            // EXIF orientation 6: the 1200x800 original stands upright.
            #expect(media.first?["width"] as? Int == 720)
            #expect(media.first?["height"] as? Int == 1080)
            #expect(media.first?["alt"] as? String == "turned")
            #expect(media.last?["alt"] is NSNull)
            #expect(media.last?["width"] as? Int == 300)

            // A refused image is named, and nothing is published.
            let refused = try await postForm(
                accounts,
                token: ann,
                parts: [
                    ("form-data; name=\"images\"; filename=\"ok.png\"", "image/png", png),
                    ("form-data; name=\"images\"; filename=\"x.jpg\"", "image/jpeg", Array("not an image at all".utf8)),
                ]
            )
            expectRefusal(refused, 415, "unsupported_media_type")
            #expect(refusalDetails(refused)["images[1]"] != nil, "\(refused.text)")
            expectRefusal(
                try await postForm(accounts, token: ann, parts: [("form-data; name=\"caption\"", nil, Array("no images".utf8))]),
                422,
                "validation_failed"
            )
            expectRefusal(
                try await postForm(
                    accounts,
                    token: ann,
                    parts: [("form-data; name=\"images\"; filename=\"a.png\"", "image/png", png), ("form-data; name=\"extra\"", nil, [0x31])]
                ),
                422,
                "validation_failed"
            )
            let mine = try await accounts.send("GET", "/api/v1/users/ann/posts")
            #expect((mine.json["items"] as? [Any])?.count == 1)
        }
    }
}
