import Foundation
import ImageAppTesting
import Testing

/// `PATCH /api/v1/media/{id}` and the job that deletes media no post attached.
@Suite(.timeLimit(.minutes(12)))
struct MediaAltAndCleanupTests {
    @Test func onlyTheOwnerEditsAlt() async throws {
        try await withMedia { accounts in
            let (owner, _, _) = try await accounts.register("dora")
            let (other, _, _) = try await accounts.register("eve")
            let media = try await accounts.upload(try ImageFixtures.generated("small.png"), token: owner, alt: "first")
            let id = try #require(media.json["id"] as? String)

            let edited = try await accounts.send("PATCH", "/api/v1/media/\(id)", json: ["alt": "A better description"], token: owner)
            #expect(edited.status == 200, "\(edited.text)")
            #expect(edited.json["alt"] as? String == "A better description")
            #expect(edited.json["url"] as? String == media.json["url"] as? String)
            let cleared = try await accounts.send("PATCH", "/api/v1/media/\(id)", json: ["alt": NSNull()], token: owner)
            #expect(cleared.json["alt"] is NSNull, "\(cleared.text)")

            // Someone else's media is as unknown as a missing one.
            expectRefusal(try await accounts.send("PATCH", "/api/v1/media/\(id)", json: ["alt": "mine now"], token: other), 404, "media_not_found")
            expectRefusal(try await accounts.send("PATCH", "/api/v1/media/123456789", json: ["alt": "x"], token: owner), 404, "media_not_found")
            expectRefusal(try await accounts.send("PATCH", "/api/v1/media/abc", json: ["alt": "x"], token: owner), 404, "media_not_found")
            expectRefusal(try await accounts.send("PATCH", "/api/v1/media/\(id)", json: ["alt": "x"]), 401, "unauthorized")
            let tooLong = try await accounts.send("PATCH", "/api/v1/media/\(id)", json: ["alt": String(repeating: "a", count: 1_501)], token: owner)
            expectRefusal(tooLong, 422, "validation_failed")
            #expect(try await accounts.send("PATCH", "/api/v1/media/\(id)", json: ["alt": 5], token: owner).status == 422)
            #expect(try await accounts.send("PATCH", "/api/v1/media/\(id)", json: ["alt": "x", "url": "y"], token: owner).status == 422)
            #expect(try await accounts.send("PATCH", "/api/v1/media/\(id)", json: [:], token: owner).status == 422)
        }
    }

    @Test func unattachedMediaIsDeletedByTheJob() async throws {
        try await withMedia(media: "unattached_ttl_seconds = 20\ncleanup_interval_ms = 300") { accounts in
            let (token, _, _) = try await accounts.register("pat")
            let media = try await accounts.upload(try ImageFixtures.generated("small.png"), token: token)
            #expect(media.status == 201)
            let files = try ["url", "preview_url"].map { key in
                accounts.mediaDirectory + "/" + (try #require(media.json[key] as? String)).dropFirst("/media/".count)
            }
            #expect(files.allSatisfy { FileManager.default.fileExists(atPath: $0) })
            let gone = try await eventually(timeout: .seconds(120)) { () -> Bool? in
                let rows = try PostgresProbe.strings(try accounts.database.url, "SELECT id FROM media")
                let left = files.filter { FileManager.default.fileExists(atPath: $0) }
                return rows.isEmpty && left.isEmpty ? true : nil
            }
            #expect(gone == true, "rows and blobs deleted")
        }
    }
}
