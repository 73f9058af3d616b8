import Foundation
import ImageAppTesting

/// The test images, made once per test process by `make_images.py` (Pillow) into a temporary folder.
enum MediaFixtures {
    /// The folder holding them.
    static let directory: String = {
        let folder = NSTemporaryDirectory() + "imageapp-media-fixtures-\(getpid())"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("make_images.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, folder]
        try? process.run()
        process.waitUntilExit()
        precondition(process.terminationStatus == 0, "make_images.py failed: is Pillow installed (scripts/test installs it)?")
        return folder
    }()

    /// The bytes of fixture `name`.
    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)))
    }
}

/// A host with `auth`, `profiles`, `storage-fs` and `media` (`media` lines appended to its section).
func withMedia(media: String = "", host hostLines: String = "", _ body: (AccountsHost) async throws -> Void) async throws {
    try await withAccounts(host: hostLines, plugins: { _ in "[plugins.media]\nenabled = true\n\(media)\n" }, body)
}

/// A multipart body of `parts` (name, filename or nil, content type or nil, bytes) and its content type.
func multipart(_ parts: [(name: String, filename: String?, type: String?, bytes: [UInt8])]) -> (body: Data, contentType: String) {
    let boundary = "media-test-boundary-7d3f"
    let body = MultipartForm.body(
        parts.map { part in
            var disposition = "form-data; name=\"\(part.name)\""
            if let filename = part.filename { disposition += "; filename=\"\(filename)\"" }
            return (disposition, part.type, part.bytes)
        },
        boundary: boundary
    )
    return (body, "multipart/form-data; boundary=\(boundary)")
}

extension AccountsHost {
    /// `POST /api/v1/media` with `file` (named `filename`, declared as `type`) and optional `alt`.
    func upload(
        _ bytes: [UInt8],
        token: String?,
        filename: String = "photo.jpg",
        type: String? = "image/jpeg",
        alt: String? = nil
    ) async throws -> HTTPResult {
        var parts: [(name: String, filename: String?, type: String?, bytes: [UInt8])] = [("file", filename, type, bytes)]
        if let alt { parts.append(("alt", nil, nil, Array(alt.utf8))) }
        let form = multipart(parts)
        var headers = ["Content-Type": form.contentType]
        if let token { headers["Authorization"] = "Bearer \(token)" }
        return try await host.request("POST", "/api/v1/media", headers: headers, body: form.body)
    }

    /// The bytes behind a media URL such as `/media/media/1/abc/large.webp`, read from the storage folder.
    func mediaBytes(_ url: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: mediaDirectory + "/" + url.dropFirst("/media/".count))))
    }
}

extension Array where Element == UInt8 {
    /// Whether `needle` occurs in these bytes.
    func contains(subsequence needle: [UInt8]) -> Bool {
        firstRange(of: needle) != nil
    }
}
