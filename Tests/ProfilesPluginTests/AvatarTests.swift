import Foundation
import ImageAppHost
import ImageAppTesting
import Testing

/// `PUT /api/v1/me/avatar` through the image pipeline: real images made with Pillow go through the host, and what it
/// serves is read back over HTTP and checked with Pillow (not libvips, which made it).
@Suite(.timeLimit(.minutes(12)))
struct AvatarTests {
    @Test func avatarsAreOrientedSquaresWithoutMetadata() async throws {
        try await withAccounts { accounts in
            let (token, id, _) = try await accounts.register("ada")
            let original = try ImageFixtures.generated("exif6.jpg")
            let input = try await ImageFixtures.describe(original)
            #expect(input.exif && input.gps && (input.width, input.height) == (1200, 800), "the fixture: landscape, EXIF, GPS")

            let response = try await accounts.putAvatar(original, token: token, filename: "me.jpg", type: "image/jpeg")
            #expect(response.status == 200, "\(response.text)")
            #expect(response.json["handle"] as? String == "ada", "answers like GET /me")
            let large = try #require(response.json["avatar_url"] as? String)
            let small = try #require(response.json["avatar_small_url"] as? String)
            #expect(large.hasPrefix("/media/avatars/\(id)/") && large.hasSuffix("/large.webp"), "\(large)")
            #expect(small.hasPrefix("/media/avatars/\(id)/") && small.hasSuffix("/small.webp"), "\(small)")

            for (url, side) in [(large, 400), (small, 96)] {
                let served = try await accounts.host.get(url)
                #expect(served.status == 200)
                #expect(served.headers["content-type"] == "image/webp")
                let bytes = [UInt8](served.body)
                let output = try await ImageFixtures.describe(bytes)
                #expect(output.format == "WEBP" && (output.width, output.height) == (side, side), "\(url): \(output)")
                #expect(!output.exif && !output.gps && !output.xmp, "\(url): no metadata left: \(output)")
                #expect(!bytes.contains(subsequence: Array("Exif".utf8)) && !bytes.contains(subsequence: Array("TestCam".utf8)))
                // Orientation 6 turns the stored landscape a quarter clockwise: its left edge (no red) becomes the top,
                // its bottom edge (most green) the left. Unrotated, or turned the other way, the corners differ.
                let corners = output.corners
                let topLeft = try #require(corners["top_left"])
                let topRight = try #require(corners["top_right"])
                let bottomLeft = try #require(corners["bottom_left"])
                #expect(topLeft[0] < 120 && topLeft[1] > 150, "\(url): \(corners)")
                #expect(topRight[0] < 120 && topRight[1] < 80, "\(url): \(corners)")
                #expect(bottomLeft[0] > 150 && bottomLeft[1] > 150, "\(url): \(corners)")
            }

            // The profile shows the same squares everywhere; the upload itself was not kept.
            let me = try await accounts.send("GET", "/api/v1/me", token: token)
            #expect(me.json["avatar_url"] as? String == large && me.json["avatar_small_url"] as? String == small, "\(me.text)")
            let profile = try await accounts.send("GET", "/api/v1/users/ada")
            #expect(profile.json["avatar_url"] as? String == large && profile.json["avatar_small_url"] as? String == small)
            #expect(accounts.storedFiles(under: "avatars/\(id)").count == 2, "\(accounts.storedFiles(under: "avatars/\(id)"))")
        }
    }

    @Test func anyImageBecomesSquaresOfTheConfiguredSizes() async throws {
        try await withAccounts(profiles: "avatar_size = 256\navatar_small_size = 64") { accounts in
            let (token, _, _) = try await accounts.register("bea")
            // Landscape JPEG, wide WebP, animated GIF (its first frame), PNG with alpha; names and types ignored.
            for name in ["plain.jpg", "photo.webp", "anim.gif", "alpha.png"] {
                let response = try await accounts.putAvatar(
                    try ImageFixtures.generated(name),
                    token: token,
                    filename: "avatar.bin",
                    type: "application/octet-stream"
                )
                #expect(response.status == 200, "\(name): \(response.text)")
                for (key, side) in [("avatar_url", 256), ("avatar_small_url", 64)] {
                    let url = try #require(response.json[key] as? String, "\(name): \(response.text)")
                    let output = try await ImageFixtures.describe([UInt8](try await accounts.host.get(url).body))
                    #expect((output.width, output.height, output.frames) == (side, side, 1), "\(name) \(key): \(output)")
                }
            }
        }
    }

    @Test func smallImagesAreNotUpscaled() async throws {
        try await withAccounts { accounts in
            let (token, _, _) = try await accounts.register("cleo")
            // (file, side of the large square, side of the small one): a short side under a size is kept.
            let cases: [(String, [UInt8], Int, Int)] = [
                ("small.png (300×200)", try ImageFixtures.generated("small.png"), 200, 96),
                ("a 1×1 PNG", ImageFixtures.redPixelPNG, 1, 1),
                ("a 1×1 GIF", ImageFixtures.gif, 1, 1),
            ]
            for (label, bytes, largeSide, smallSide) in cases {
                let response = try await accounts.putAvatar(bytes, token: token)
                #expect(response.status == 200, "\(label): \(response.text)")
                for (key, side) in [("avatar_url", largeSide), ("avatar_small_url", smallSide)] {
                    let url = try #require(response.json[key] as? String, "\(label): \(response.text)")
                    let output = try await ImageFixtures.describe(try accounts.mediaBytes(url))
                    #expect((output.width, output.height) == (side, side), "\(label) \(key): \(output)")
                }
            }
        }
    }

    @Test func bombsAreRefusedFromTheHeaderBeforeDecoding() async throws {
        try await withAccounts(profiles: "avatar_max_side = 1500") { accounts in
            let (token, id, _) = try await accounts.register("dana")
            // Warm up (another account), so that libvips' own start-up memory is not counted as growth.
            let (otherToken, _, _) = try await accounts.register("dane")
            _ = try await accounts.putAvatar(try ImageFixtures.generated("small.png"), token: otherToken)
            let before = accounts.host.residentBytes ?? 0
            // 20,000² pixels in 48 KB (400 MB decoded), and 40 MP in 600 KB: media's limits, from the header. Their
            // headers alone are refused the same way, not as truncated: nothing was decoded before the refusal.
            for name in ["bomb.png", "big40mp.jpg", "bomb-header.png", "big40mp-header.jpg"] {
                let response = try await accounts.putAvatar(try ImageFixtures.generated(name), token: token, filename: name)
                expectRefusal(response, 422, "image_too_large")
                #expect(refusalDetails(response).keys.sorted() == ["avatar"], "\(name)")
            }
            let after = accounts.host.residentBytes ?? 0
            // 20,000² 1-bit pixels would be 400 MB as 8-bit; 40 MP RGB 120 MB.
            #expect(after - before < 40 * 1024 * 1024, "RSS grew \((after - before) / 1024) KiB")
            // The limits are settings: a 1600×1200 photo is over this host's `avatar_max_side`.
            let wide = try await accounts.putAvatar(try ImageFixtures.generated("plain.jpg"), token: token)
            expectRefusal(wide, 422, "image_too_large")
            #expect(refusalDetails(wide) == ["avatar": "must be at most 33177600 pixels and 1500 pixels on a side"])
            #expect(accounts.storedFiles(under: "avatars/\(id)").isEmpty)
        }
    }

    @Test func foreignAndBrokenFilesAreRefused() async throws {
        try await withAccounts { accounts in
            let (token, id, _) = try await accounts.register("edda")
            // Text named like a JPEG, and HTML carrying a JPEG: not images by content.
            for name in ["text.jpg", "polyglot.html.jpg"] {
                let response = try await accounts.putAvatar(try ImageFixtures.generated(name), token: token, filename: name, type: "image/jpeg")
                expectRefusal(response, 415, "unsupported_media_type")
                #expect(refusalDetails(response) == ["avatar": "must be a JPEG, PNG, WebP or GIF image"])
            }
            // A JPEG cut short, and one that is all header: images by content, but unreadable.
            for (label, bytes) in [("truncated.jpg", try ImageFixtures.generated("truncated.jpg")), ("a bare JFIF header", ImageFixtures.jpegHeader)]
            {
                let response = try await accounts.putAvatar(bytes, token: token, filename: "a.jpg", type: "image/jpeg")
                expectRefusal(response, 422, "invalid_image")
                #expect(refusalDetails(response) == ["avatar": "is truncated or corrupt"], "\(label)")
            }
            #expect(try await accounts.send("GET", "/api/v1/me", token: token).json["avatar_url"] is NSNull)
            #expect(accounts.storedFiles(under: "avatars/\(id)").isEmpty)
            #expect(!accounts.host.stderr.contains(" error "), "\(accounts.host.stderr.suffix(3000))")
        }
    }

    @Test func replacingAnAvatarDeletesItsSquaresAndAnOldUpload() async throws {
        try await withAccounts { accounts in
            let (token, id, _) = try await accounts.register("fay")
            let connection = try PostgresConnection(url: accounts.database.url)
            _ = try await eventually {
                try connection.query("SELECT count(*) FROM profiles WHERE user_id = $1", [.text(id)]).int(0, 0) == 1 ? true : nil
            }
            // An avatar stored as uploaded, before avatars were processed: one file, no small square. It keeps working,
            // for both sizes.
            let legacyKey = "avatars/\(id)/\(String(repeating: "ab", count: 32)).png"
            try FileManager.default.createDirectory(atPath: accounts.mediaDirectory + "/avatars/\(id)", withIntermediateDirectories: true)
            try Data(ImageFixtures.redPixelPNG).write(to: URL(fileURLWithPath: accounts.mediaDirectory + "/" + legacyKey))
            _ = try connection.query("UPDATE profiles SET avatar_key = $2 WHERE user_id = $1", [.text(id), .text(legacyKey)])
            let legacy = try await accounts.send("GET", "/api/v1/users/fay")
            #expect(legacy.json["avatar_url"] as? String == "/media/" + legacyKey, "\(legacy.text)")
            #expect(legacy.json["avatar_small_url"] as? String == "/media/" + legacyKey)
            #expect(try await accounts.host.get("/media/" + legacyKey).status == 200)

            // Each upload replaces the one before, and its files go once the new ones are recorded (the same image
            // twice included: names are fresh, never shared).
            var previous = ["/media/" + legacyKey]
            for name in ["plain.jpg", "photo.webp", "photo.webp"] {
                let response = try await accounts.putAvatar(try ImageFixtures.generated(name), token: token)
                #expect(response.status == 200, "\(name): \(response.text)")
                let urls = try ["avatar_url", "avatar_small_url"].map { key in try #require(response.json[key] as? String) }
                for url in previous {
                    #expect(!FileManager.default.fileExists(atPath: accounts.mediaPath(url)), "\(name): \(url) is gone")
                    #expect(try await accounts.host.get(url).status == 404)
                }
                #expect(accounts.storedFiles(under: "avatars/\(id)").count == 2, "\(accounts.storedFiles(under: "avatars/\(id)"))")
                #expect(Set(urls).isDisjoint(with: previous))
                previous = urls
            }

            // Each change raised `user.profile_updated` with both URLs.
            let events = try accounts.profileEvents()
            #expect(events.count == 3, "\(events)")
            #expect(events.last?["avatar_url"] as? String == previous[0] && events.last?["avatar_small_url"] as? String == previous[1])
        }
    }

    @Test func avatarsStoredBeforeProcessingAreProcessedByAJob() async throws {
        try await withAccounts(profiles: "legacy_avatar_interval_ms = 200") { accounts in
            let connection = try PostgresConnection(url: accounts.database.url)
            var legacy: [String: String] = [:]
            for (handle, bytes) in [("gus", try ImageFixtures.generated("exif6.jpg")), ("hal", Array("not an image".utf8))] {
                let (_, id, _) = try await accounts.register(handle)
                _ = try await eventually {
                    try connection.query("SELECT count(*) FROM profiles WHERE user_id = $1", [.text(id)]).int(0, 0) == 1 ? true : nil
                }
                // One file as uploaded, metadata and all, and no small square: an avatar from before processing.
                let key = "avatars/\(id)/\(String(repeating: "cd", count: 32)).jpg"
                try FileManager.default.createDirectory(atPath: accounts.mediaDirectory + "/avatars/\(id)", withIntermediateDirectories: true)
                try Data(bytes).write(to: URL(fileURLWithPath: accounts.mediaDirectory + "/" + key))
                _ = try connection.query("UPDATE profiles SET avatar_key = $2 WHERE user_id = $1", [.text(id), .text(key)])
                legacy[handle] = key
            }
            // The image becomes squares without metadata; the old file goes.
            let gus = try await eventually {
                try await accounts.send("GET", "/api/v1/users/gus")
            } until: {
                $0.json["avatar_small_url"] as? String != "/media/" + legacy["gus"]!
            }
            let large = try #require(gus.json["avatar_url"] as? String)
            #expect(large.hasSuffix("/large.webp"), "\(gus.text)")
            let output = try await ImageFixtures.describe([UInt8](try await accounts.host.get(large).body))
            #expect((output.width, output.height) == (400, 400) && !output.exif && !output.gps, "\(output)")
            #expect(!FileManager.default.fileExists(atPath: accounts.mediaDirectory + "/" + legacy["gus"]!))
            // A file that cannot be processed is not served any longer: the avatar is removed.
            let hal = try await eventually {
                try await accounts.send("GET", "/api/v1/users/hal")
            } until: {
                $0.json["avatar_url"] is NSNull
            }
            #expect(hal.json["avatar_url"] is NSNull, "\(hal.text)")
            #expect(!FileManager.default.fileExists(atPath: accounts.mediaDirectory + "/" + legacy["hal"]!))
        }
    }
}
