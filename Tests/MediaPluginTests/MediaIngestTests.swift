import Foundation
import ImageAppTesting
import ImageProcessing
import Testing

/// `media.ingest` (a service command, ABI 1.13) through the test-media-ingest fixture: another plugin's form parts and
/// files become media exactly as `POST /api/v1/media` makes it, with the upload's refusals, codes and details intact.
@Suite(.timeLimit(.minutes(12)))
struct MediaIngestTests {
    let vips = try! ImagePipeline()

    /// A host with the accounts plugins, `media` and the fixture that dispatches `media.ingest`.
    private func withIngest(_ body: (AccountsHost) async throws -> Void) async throws {
        try await withAccounts(plugins: { _ in "[plugins.media]\nenabled = true\n\n[plugins.test-media-ingest]\nenabled = true\n" }, body)
    }

    /// `POST /api/v1/test/media-ingest` with `images` and `alt` parts in that order.
    private func ingest(_ accounts: AccountsHost, _ images: [[UInt8]], alts: [String] = [], token: String) async throws -> HTTPResult {
        let parts =
            images.map { (name: "images", filename: Optional("photo.jpg"), type: Optional("image/jpeg"), bytes: $0) }
            + alts.map { (name: "alt", filename: String?.none, type: String?.none, bytes: Array($0.utf8)) }
        let form = multipart(parts)
        return try await accounts.host.request(
            "POST",
            "/api/v1/test/media-ingest",
            headers: ["Content-Type": form.contentType, "Authorization": "Bearer \(token)"],
            body: form.body
        )
    }

    @Test func imagesBecomeTheCallersMedia() async throws {
        try await withIngest { accounts in
            let (token, userID, _) = try await accounts.register("ingo")
            let (other, _, _) = try await accounts.register("otto")
            // A large JPEG (spooled by the host) and a small PNG (kept in memory, written to a file by the SDK).
            let response = try await ingest(
                accounts,
                [try ImageFixtures.generated("plain.jpg"), try ImageFixtures.generated("small.png")],
                alts: ["A gradient", ""],
                token: token
            )
            #expect(response.status == 201, "\(response.text)")
            let items = try #require(response.json["items"] as? [[String: Any]])
            #expect(items.count == 2)
            #expect(items.map { $0["width"] as? Int } == [1080, 300])
            #expect(items.map { $0["height"] as? Int } == [810, 200])
            #expect(items[0]["alt"] as? String == "A gradient")
            #expect(items[1]["alt"] is NSNull, "blank alt is none")
            for item in items {
                let url = try #require(item["url"] as? String)
                let preview = try #require(item["preview_url"] as? String)
                #expect(url.hasPrefix("/media/media/\(userID)/"), "stored under its owner: \(url)")
                #expect(try vips.header(of: try accounts.mediaBytes(url)).loaderType == "image/webp")
                #expect(try vips.header(of: try accounts.mediaBytes(preview)).width <= 640)
            }
            // The owner is the caller: they may edit it, someone else may not.
            let id = try #require(items[0]["id"] as? String)
            #expect(try await accounts.send("PATCH", "/api/v1/media/\(id)", json: ["alt": "mine"], token: token).status == 200)
            expectRefusal(try await accounts.send("PATCH", "/api/v1/media/\(id)", json: ["alt": "x"], token: other), 404, "media_not_found")

            // A file of the caller's own: read, and left where it was.
            let file = try TemporaryDirectory.make() + "/keep.jpg"
            try Data(try ImageFixtures.generated("exif6.jpg")).write(to: URL(fileURLWithPath: file))
            let fromPath = try await accounts.send("POST", "/api/v1/test/media-ingest/path", json: ["path": file], token: token)
            #expect(fromPath.status == 201, "\(fromPath.text)")
            #expect((fromPath.json["width"] as? Int, fromPath.json["height"] as? Int) == (720, 1080), "orientation applied")
            #expect(FileManager.default.fileExists(atPath: file), "media never moves or deletes the caller's file")
        }
    }

    @Test func refusalsKeepTheirCodesAndDetails() async throws {
        try await withIngest { accounts in
            let (token, _, _) = try await accounts.register("ingo")
            let text = try await ingest(accounts, [Array("just some text, not an image\n".utf8)], token: token)
            expectRefusal(text, 415, "unsupported_media_type")
            #expect(refusalDetails(text)["file"] == "must be a JPEG, PNG, WebP or GIF image")

            let bomb = try await ingest(accounts, [try ImageFixtures.generated("bomb.png")], token: token)
            expectRefusal(bomb, 422, "image_too_large")
            #expect(refusalDetails(bomb)["file"]?.contains("pixels") == true, "\(bomb.text)")

            let corrupt = try await ingest(accounts, [Array(try ImageFixtures.generated("plain.jpg").prefix(5000))], token: token)
            expectRefusal(corrupt, 422, "invalid_image")

            let longAlt = try await ingest(
                accounts,
                [try ImageFixtures.generated("small.png")],
                alts: [String(repeating: "a", count: 1_501)],
                token: token
            )
            expectRefusal(longAlt, 422, "validation_failed")
            #expect(refusalDetails(longAlt)["alt"] != nil)

            // Paths the command does not read: relative, a folder, missing, a link.
            let folder = try TemporaryDirectory.make()
            try FileManager.default.createSymbolicLink(atPath: folder + "/link.jpg", withDestinationPath: folder)
            for path in ["relative/photo.jpg", folder, folder + "/missing.jpg", folder + "/link.jpg"] {
                let refused = try await accounts.send("POST", "/api/v1/test/media-ingest/path", json: ["path": path], token: token)
                expectRefusal(refused, 422, "validation_failed")
                #expect(refusalDetails(refused)["path"] != nil, "\(path): \(refused.text)")
            }
            // Nothing was stored for any of them.
            #expect(try PostgresProbe.strings(try accounts.database.url, "SELECT id FROM media").isEmpty)
        }
    }
}
