import CImageAppPlugin

// ABI 1.4 blob storage: storing and reading bytes through the host's active backend (`host.blob_store`).

extension PluginHost {
    /// Stores `bytes` under `key` through the host's active blob backend and returns the final key.
    ///
    /// A `key` ending in `/` (or empty) is a prefix: the backend names the blob under it (content-addressed or
    /// random, its choice). Keys are 1–512 bytes of `[A-Za-z0-9._/-]`, relative, without `.`, `..` or empty
    /// segments. Writes are atomic. Blocks: call it from a worker thread only.
    ///
    /// ```swift
    /// let key = try host.putBlob("avatars/", bytes: webp, contentType: "image/webp")
    /// let url = try host.blobURL(key)  // e.g. /media/avatars/<sha256>
    /// ```
    ///
    /// - Throws: ``PluginError`` with ``PluginStatus/invalidArgument`` for a bad key, ``PluginStatus/unavailable``
    ///   when no backend is enabled, or ``PluginStatus/unsupported`` on a host older than ABI 1.4.
    public func putBlob(_ key: String, bytes: [UInt8], contentType: String) throws(PluginError) -> String {
        guard has(\.blob_put), let put = api.pointee.blob_put else { throw unsupported("blob storage", since: 4) }
        let finalKey = try bufferCall("cannot store blob '\(key)'") { buffer, error in
            withIAStrs([key, contentType]) { views in
                bytes.withUnsafeBytes { data in
                    put(handle, views[0], data.baseAddress, data.count, views[1], &buffer, &error)
                }
            }
        }
        return String(decoding: finalKey ?? [], as: UTF8.self)
    }

    /// The bytes of blob `key`, or `nil` when there is no such blob. Blocks: worker threads only.
    ///
    /// - Throws: ``PluginError`` when the key is invalid, no backend is enabled, the backend fails, or the host is
    ///   older than ABI 1.4 (``PluginStatus/unsupported``).
    public func blob(_ key: String) throws(PluginError) -> [UInt8]? {
        guard has(\.blob_get), let get = api.pointee.blob_get else { throw unsupported("blob storage", since: 4) }
        return try bufferCall("cannot read blob '\(key)'", missingIsNil: true) { buffer, error in
            key.withIAStr { get(handle, $0, &buffer, &error) }
        }
    }

    /// Deletes blob `key`; deleting an absent blob succeeds. Blocks: worker threads only.
    ///
    /// - Throws: ``PluginError`` as for ``blob(_:)``.
    public func deleteBlob(_ key: String) throws(PluginError) {
        guard has(\.blob_delete), let delete = api.pointee.blob_delete else {
            throw unsupported("blob storage", since: 4)
        }
        var error = ia_error.empty()
        let status = key.withIAStr { delete(handle, $0, &error) }
        try check(status, error, "cannot delete blob '\(key)'")
    }

    /// The public URL of blob `key`: absolute, or a path on this host such as `/media/KEY`. Worker threads only.
    ///
    /// - Throws: ``PluginError`` as for ``blob(_:)``.
    public func blobURL(_ key: String) throws(PluginError) -> String {
        guard has(\.blob_url), let url = api.pointee.blob_url else { throw unsupported("blob storage", since: 4) }
        let text = try bufferCall("cannot get the URL of blob '\(key)'") { buffer, error in
            key.withIAStr { url(handle, $0, &buffer, &error) }
        }
        return String(decoding: text ?? [], as: UTF8.self)
    }
}
