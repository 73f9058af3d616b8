import Foundation

// Uploads and the files storage-fs keeps for them.

extension AccountsHost {
    /// The file behind a blob URL such as `/media/avatars/1/abc/large.webp`, in the host's storage folder.
    public func mediaPath(_ url: String) -> String {
        mediaDirectory + "/" + url.dropFirst("/media/".count)
    }

    /// The bytes of that file.
    public func mediaBytes(_ url: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: mediaPath(url))))
    }

    /// The regular files under `folder` of the storage folder (`avatars/42`), as paths relative to it, sorted; empty
    /// folders left behind are not counted.
    public func storedFiles(under folder: String) -> [String] {
        let root = mediaDirectory + "/" + folder
        guard let walk = FileManager.default.enumerator(atPath: root) else { return [] }
        return walk.compactMap { $0 as? String }.filter { path in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }.sorted()
    }

    /// `PUT /api/v1/me/avatar` with `bytes` as the `avatar` file part, named `filename` and declared as `type`.
    public func putAvatar(
        _ bytes: [UInt8],
        token: String?,
        filename: String = "avatar.png",
        type: String? = "image/png"
    ) async throws -> HTTPResult {
        let boundary = "avatar-test-boundary-5c2a"
        let body = MultipartForm.body([("form-data; name=\"avatar\"; filename=\"\(filename)\"", type, bytes)], boundary: boundary)
        var headers = ["Content-Type": "multipart/form-data; boundary=\(boundary)"]
        if let token { headers["Authorization"] = "Bearer \(token)" }
        return try await host.request("PUT", "/api/v1/me/avatar", headers: headers, body: body)
    }
}
