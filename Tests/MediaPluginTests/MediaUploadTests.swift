import Foundation
import ImageAppTesting
import ImageProcessing
import Testing

/// `POST /api/v1/media`: real images made with Pillow go through the host and its `media` plugin, and the stored
/// variants are read back with libvips.
@Suite(.timeLimit(.minutes(12)))
struct MediaUploadTests {
    /// Reads headers back (libvips, initialised in this test process too).
    let vips = try! ImagePipeline()

    @Test func eachAcceptedFormatIsProcessed() async throws {
        try await withMedia { accounts in
            let (token, _, _) = try await accounts.register("pat")
            // (file, expected width, height of the large variant)
            let cases: [(String, Int, Int)] = [
                ("plain.jpg", 1080, 810), ("small.png", 300, 200), ("photo.webp", 1080, 540), ("anim.gif", 400, 300),
                ("alpha.png", 500, 400),
            ]
            for (name, width, height) in cases {
                let response = try await accounts.upload(try ImageFixtures.generated(name), token: token, filename: name)
                #expect(response.status == 201, "\(name): \(response.text)")
                let json = response.json
                #expect(json["type"] as? String == "image")
                #expect(json["width"] as? Int == width, "\(name): \(response.text)")
                #expect(json["height"] as? Int == height, "\(name): \(response.text)")
                #expect((json["blurhash"] as? String)?.count == 28, "\(name): 4×3 components")
                #expect(json["alt"] is NSNull)
                #expect(Int64(json["id"] as? String ?? "") != nil, "ids are strings")
                let url = try #require(json["url"] as? String)
                let preview = try #require(json["preview_url"] as? String)
                #expect(url.hasSuffix("/large.webp") && preview.hasSuffix("/small.webp"), "\(url) \(preview)")
                let large = try vips.header(of: try accounts.mediaBytes(url))
                #expect(large.loaderType == "image/webp")
                #expect((large.width, large.height) == (width, height))
                #expect(large.pages == 1, "\(name): one frame (an animated GIF keeps its first)")
                let small = try vips.header(of: try accounts.mediaBytes(preview))
                #expect(max(small.width, small.height) == min(640, max(width, height)), "\(name): never upscaled")
                #expect(name != "alpha.png" || large.bands == 4, "PNG alpha is kept in WebP")
                let served = try await accounts.host.get(url)
                #expect(served.status == 200)
                #expect(served.headers["content-type"] == "image/webp")
            }
        }
    }

    @Test func orientationIsAppliedAndMetadataStripped() async throws {
        try await withMedia { accounts in
            let (token, _, _) = try await accounts.register("pat")
            let original = try ImageFixtures.generated("exif6.jpg")
            let input = try vips.header(of: original)
            #expect(input.orientation == 6 && input.hasGPS && input.hasEXIF, "the fixture carries orientation 6 and GPS")
            #expect((input.width, input.height) == (1200, 800))

            let response = try await accounts.upload(original, token: token, alt: "A gradient")
            #expect(response.status == 201, "\(response.text)")
            #expect((response.json["width"] as? Int, response.json["height"] as? Int) == (720, 1080), "rotated: w/h swapped")
            #expect(response.json["alt"] as? String == "A gradient")
            for key in ["url", "preview_url"] {
                let bytes = try accounts.mediaBytes(try #require(response.json[key] as? String))
                let output = try vips.header(of: bytes)
                #expect(output.height > output.width, "\(key): portrait after rotation")
                #expect(output.orientation == 1)
                #expect(!output.hasEXIF && !output.hasGPS && !output.hasXMP && !output.hasIPTC, "\(key): \(output)")
                #expect(!bytes.contains(subsequence: Array("TestCam".utf8)), "\(key): no camera make left")
                #expect(!bytes.contains(subsequence: Array("Exif".utf8)))
            }
        }
    }

    @Test func iccProfileIsKeptAsSRGB() async throws {
        try await withMedia(media: #"format = "jpeg""#) { accounts in
            let (token, _, _) = try await accounts.register("pat")
            #expect(try vips.header(of: try ImageFixtures.generated("icc.jpg")).hasICC)
            for name in ["icc.jpg", "exif6.jpg"] {
                let response = try await accounts.upload(try ImageFixtures.generated(name), token: token)
                #expect(response.status == 201, "\(response.text)")
                let url = try #require(response.json["url"] as? String)
                #expect(url.hasSuffix("/large.jpg"))
                let output = try vips.header(of: try accounts.mediaBytes(url))
                #expect(output.loaderType == "image/jpeg")
                #expect(output.hasICC == (name == "icc.jpg"), "\(name): the profile is kept, and none is invented")
                #expect(!output.hasEXIF && !output.hasGPS && !output.hasXMP, "\(name): \(output)")
            }
            // WebP keeps it too.
        }
        try await withMedia { accounts in
            let (token, _, _) = try await accounts.register("pat")
            let response = try await accounts.upload(try ImageFixtures.generated("icc.jpg"), token: token)
            let output = try vips.header(of: try accounts.mediaBytes(try #require(response.json["url"] as? String)))
            #expect(output.hasICC && !output.hasEXIF, "\(output)")
        }
    }

    @Test func bombsAndHugeImagesAreRefusedFromTheHeader() async throws {
        try await withMedia { accounts in
            let (token, _, _) = try await accounts.register("pat")
            // Warm up, so that libvips' own start-up memory is not counted as growth.
            _ = try await accounts.upload(try ImageFixtures.generated("plain.jpg"), token: token)
            let before = accounts.host.residentBytes ?? 0
            // Their headers alone are refused the same way, not as truncated: nothing is decoded before the refusal.
            for name in ["big40mp.jpg", "bomb.png", "big40mp-header.jpg", "bomb-header.png"] {
                let response = try await accounts.upload(try ImageFixtures.generated(name), token: token, filename: name)
                expectRefusal(response, 422, "image_too_large")
            }
            let after = accounts.host.residentBytes ?? 0
            // 20,000² 1-bit pixels would be 400 MB as 8-bit; 40 MP RGB 120 MB.
            #expect(after - before < 40 * 1024 * 1024, "RSS grew \((after - before) / 1024) KiB")
        }
    }

    @Test func brokenAndForeignFilesAreRefused() async throws {
        try await withMedia(media: "max_bytes = 1000000") { accounts in
            let (token, _, _) = try await accounts.register("pat")
            expectRefusal(try await accounts.upload(try ImageFixtures.generated("truncated.jpg"), token: token), 422, "invalid_image")
            let text = try await accounts.upload(try ImageFixtures.generated("text.jpg"), token: token, filename: "text.jpg")
            expectRefusal(text, 415, "unsupported_media_type")
            #expect(refusalDetails(text) == ["file": "must be a JPEG, PNG, WebP or GIF image"])
            // Declared types and names are ignored both ways.
            let declaredImage = try await accounts.upload(Array("hello".utf8), token: token, filename: "x.png", type: "image/png")
            expectRefusal(declaredImage, 415, "unsupported_media_type")
            let declaredText = try await accounts.upload(
                try ImageFixtures.generated("small.png"),
                token: token,
                filename: "a.txt",
                type: "text/plain"
            )
            #expect(declaredText.status == 201, "\(declaredText.text)")
            expectRefusal(try await accounts.upload(ImageFixtures.svg, token: token, filename: "a.jpg"), 415, "unsupported_media_type")
            // HTML carrying a JPEG is HTML; a JPEG carrying HTML is re-encoded, and the HTML is gone.
            expectRefusal(try await accounts.upload(try ImageFixtures.generated("polyglot.html.jpg"), token: token), 415, "unsupported_media_type")
            let polyglot = try await accounts.upload(try ImageFixtures.generated("polyglot.jpg"), token: token)
            #expect(polyglot.status == 201, "\(polyglot.text)")
            let stored = try accounts.mediaBytes(try #require(polyglot.json["url"] as? String))
            #expect(!stored.contains(subsequence: Array("script".utf8)))
            // Limits and form mistakes.
            let tooBig = try await accounts.upload(try ImageFixtures.generated("12mp.jpg") + [UInt8](repeating: 0, count: 700_000), token: token)
            expectRefusal(tooBig, 413, "payload_too_large")
            expectRefusal(try await accounts.upload([], token: token), 422, "validation_failed")
            let noFile = multipart([("alt", nil, nil, Array("x".utf8))])
            let missing = try await accounts.host.request(
                "POST",
                "/api/v1/media",
                headers: ["Content-Type": noFile.contentType, "Authorization": "Bearer \(token)"],
                body: noFile.body
            )
            expectRefusal(missing, 422, "validation_failed")
            #expect(refusalDetails(missing).keys.sorted() == ["file"])
            // Only signed-in users.
            expectRefusal(try await accounts.upload(try ImageFixtures.generated("small.png"), token: nil), 401, "unauthorized")
            #expect(!accounts.host.stderr.contains(" error "), "\(accounts.host.stderr.suffix(3000))")
        }
    }

    @Test func altTextLimits() async throws {
        try await withMedia { accounts in
            let (token, _, _) = try await accounts.register("pat")
            let image = try ImageFixtures.generated("small.png")
            let longest = String(repeating: "é", count: 1_500)
            let ok = try await accounts.upload(image, token: token, alt: longest)
            #expect(ok.status == 201)
            #expect(ok.json["alt"] as? String == longest)
            let tooLong = try await accounts.upload(image, token: token, alt: longest + "x")
            expectRefusal(tooLong, 422, "validation_failed")
            #expect(refusalDetails(tooLong) == ["alt": "must be at most 1500 characters"])
            expectRefusal(try await accounts.upload(image, token: token, alt: "bad\u{202E}text"), 422, "validation_failed")
            let blank = try await accounts.upload(image, token: token, alt: "  \n ")
            #expect(blank.json["alt"] is NSNull, "blank alt is none")
        }
    }

    @Test func aFullQueueAnswers503WithRetryAfter() async throws {
        try await withMedia(media: "concurrency = 1\nqueue_length = 0\nretry_after_seconds = 3") { accounts in
            let (token, _, _) = try await accounts.register("pat")
            let image = try ImageFixtures.generated("12mp.jpg")
            let statuses = try await withThrowingTaskGroup(of: HTTPResult.self) { group in
                for _ in 0..<6 { group.addTask { try await accounts.upload(image, token: token) } }
                var results: [HTTPResult] = []
                for try await result in group { results.append(result) }
                return results
            }
            #expect(statuses.contains { $0.status == 201 })
            let busy = try #require(statuses.first { $0.status == 503 }, "\(statuses.map(\.status))")
            expectRefusal(busy, 503, "server_busy")
            #expect(busy.headers["retry-after"] == "3")
            #expect(statuses.allSatisfy { [201, 503].contains($0.status) }, "\(statuses.map(\.status))")
        }
    }
}
