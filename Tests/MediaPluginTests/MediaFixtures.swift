import Foundation
import ImageAppTesting

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
}
