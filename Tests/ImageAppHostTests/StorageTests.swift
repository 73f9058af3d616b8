import Foundation
import ImageAppTesting
import Testing

/// Blob storage through the host with the storage-fs backend, and its /media serving.
@Suite(.timeLimit(.minutes(12)))
struct StorageTests {
    static func config(root: String, naming: String = "content") -> String {
        """
        [host]
        log_level = "warning"

        [plugins.storage-fs]
        enabled = true
        root = "\(root)"
        naming = "\(naming)"

        [plugins.test-blobs]
        enabled = true
        """
    }

    private func put(_ host: HostProcess, key: String, _ body: Data, type: String = "image/png") async throws -> HTTPResult {
        try await host.request("POST", "/api/v1/test/blobs?key=\(key)", headers: ["Content-Type": type], body: body)
    }

    @Test func putGetDeleteAndContentAddressedNames() async throws {
        let root = try TemporaryDirectory.make()
        let host = try await HostProcess.start(config: Self.config(root: root))
        defer { Task { await host.stop() } }
        let bytes = Data((0..<5000).map { UInt8($0 % 251) })

        let stored = try await put(host, key: "avatars/", bytes)
        #expect(stored.status == 201)
        let key = try #require(stored.json["key"] as? String)
        #expect(key.hasPrefix("avatars/") && key.hasSuffix(".png") && key.count == "avatars/".count + 64 + 4)
        #expect(stored.json["url"] as? String == "/media/\(key)")
        // The same content gets the same name; the file is on disk under root.
        #expect(try await put(host, key: "avatars/", bytes).json["key"] as? String == key)
        #expect(FileManager.default.contents(atPath: root + "/" + key) == bytes)

        let exact = try await put(host, key: "docs/readme.txt", Data("hello".utf8), type: "text/plain")
        #expect(exact.json["key"] as? String == "docs/readme.txt")
        #expect(try await host.get("/api/v1/test/blobs/\(key)").body == bytes)

        #expect(try await host.request("DELETE", "/api/v1/test/blobs/\(key)").status == 204)
        #expect(try await host.get("/api/v1/test/blobs/\(key)").status == 404)
        #expect(try await host.get("/media/\(key)").status == 404)
        // No temporary files are left behind.
        let leftovers = (try? FileManager.default.contentsOfDirectory(atPath: root + "/.tmp")) ?? []
        #expect(leftovers.isEmpty)
    }

    @Test func randomNamesWhenConfigured() async throws {
        let host = try await HostProcess.start(config: Self.config(root: try TemporaryDirectory.make(), naming: "random"))
        defer { Task { await host.stop() } }
        let first = try await put(host, key: "", Data("same".utf8)).json["key"] as? String
        let second = try await put(host, key: "", Data("same".utf8)).json["key"] as? String
        #expect(first != nil && second != nil && first != second)
    }

    @Test func mediaIsServedWithETagImmutableCachingAndRanges() async throws {
        let host = try await HostProcess.start(config: Self.config(root: try TemporaryDirectory.make()))
        defer { Task { await host.stop() } }
        let bytes = Data((0..<1000).map { UInt8($0 % 256) })
        let key = try #require(try await put(host, key: "p/", bytes, type: "image/jpeg").json["key"] as? String)

        let full = try await host.get("/media/\(key)")
        #expect(full.status == 200)
        #expect(full.body == bytes)
        #expect(full.headers["content-type"] == "image/jpeg")
        #expect(full.headers["cache-control"]?.contains("immutable") == true)
        #expect(full.headers["accept-ranges"] == "bytes")
        let etag = try #require(full.headers["etag"])

        let notModified = try await host.get("/media/\(key)", headers: ["If-None-Match": etag])
        #expect(notModified.status == 304)
        #expect(notModified.body.isEmpty)

        let middle = try await host.get("/media/\(key)", headers: ["Range": "bytes=100-199"])
        #expect(middle.status == 206)
        #expect(middle.headers["content-range"] == "bytes 100-199/1000")
        #expect(middle.body == bytes[100..<200])
        let suffix = try await host.get("/media/\(key)", headers: ["Range": "bytes=-10"])
        #expect(suffix.status == 206)
        #expect(suffix.body == bytes[990..<1000])
        let open = try await host.get("/media/\(key)", headers: ["Range": "bytes=995-"])
        #expect(open.body == bytes[995..<1000])
        let outside = try await host.get("/media/\(key)", headers: ["Range": "bytes=5000-6000"])
        #expect(outside.status == 416)
        #expect(outside.headers["content-range"] == "bytes */1000")
        // A stale If-Range gets the whole file.
        let stale = try await host.get("/media/\(key)", headers: ["Range": "bytes=0-9", "If-Range": "\"other\""])
        #expect(stale.status == 200)
        #expect(stale.body == bytes)
    }

    @Test func largeMediaIsStreamedFromDiskNotHeldInMemory() async throws {
        let root = try TemporaryDirectory.make()
        let host = try await HostProcess.start(config: Self.config(root: root))
        defer { Task { await host.stop() } }
        // 24 MiB of a pattern that shows misplaced bytes.
        let size = 24 << 20
        let bytes = Data((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 13) })
        try bytes.write(to: URL(fileURLWithPath: root + "/big.jpg"))

        let full = try await host.get("/media/big.jpg")
        #expect(full.status == 200)
        #expect(full.body == bytes)
        let tail = try await host.get("/media/big.jpg", headers: ["Range": "bytes=\(size - 70_000)-"])
        #expect(tail.status == 206)
        #expect(tail.body == bytes.suffix(70_000))
        let head = try await host.request("HEAD", "/media/big.jpg")
        #expect(head.headers["content-length"] == String(size))
        #expect(head.body.isEmpty)

        // Ten clients ask for it and never read: each costs the server a chunk and socket buffers, not the file.
        let before = try #require(host.residentBytes)
        let readers = try (0..<10).map { _ in try RawConnection(port: host.baseURL.port!) }
        for reader in readers { try reader.send("GET /media/big.jpg HTTP/1.1\r\nHost: x\r\n\r\n") }
        try await Task.sleep(for: .seconds(2))
        let after = try #require(host.residentBytes)
        // Holding the file per request would take at least 240 MiB; streamed, it is about 1 MiB each (allocator and
        // thread noise on a busy machine included, well under 96).
        #expect(after - before < 96 << 20, "RSS grew by \((after - before) >> 20) MiB for ten unread downloads of 24 MiB")
        for reader in readers { reader.close() }
        #expect(try await host.get("/healthz").status == 200)
    }

    @Test func traversalIsRefused() async throws {
        let root = try TemporaryDirectory.make()
        let outside = root + "-secret.txt"
        try "secret".write(toFile: outside, atomically: true, encoding: .utf8)
        let host = try await HostProcess.start(config: Self.config(root: root))
        defer { Task { await host.stop() } }
        for key in ["../\(URL(fileURLWithPath: outside).lastPathComponent)", "a/../../x", "./x", "a//b", "/etc/passwd", "a\\b"] {
            let put = try await put(host, key: key.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? key, Data("x".utf8))
            #expect(put.status == 422, "put \(key)")
            #expect(put.errorCode == "invalid_key")
        }
        for path in ["/media/..%2F\(URL(fileURLWithPath: outside).lastPathComponent)", "/media/a/%2e%2e/%2e%2e/x", "/api/v1/test/blobs/..%2Fx"] {
            let response = try await host.get(path)
            #expect(response.status == 404 || response.status == 422, "\(path) answered \(response.status)")
            #expect(!response.text.contains("secret"))
        }
    }

    @Test func withoutABackendBlobCallsAre503() async throws {
        let host = try await HostProcess.start(config: "[host]\nlog_level = \"warning\"\n[plugins.test-blobs]\nenabled = true\n")
        defer { Task { await host.stop() } }
        let response = try await host.request("POST", "/api/v1/test/blobs?key=a.txt", body: Data("x".utf8))
        #expect(response.status == 503)
    }
}
