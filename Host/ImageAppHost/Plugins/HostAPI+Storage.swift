import CImageAppPlugin

extension HostAPI {
    /// ABI 1.4: blob storage through the active backend.
    static func addStorage(to api: inout ia_host_api) {
        api.register_blob_store = { host, definition in
            guard let context = PluginContext.from(host), let definition else { return IA_ERR_INVALID_ARGUMENT }
            return Registration.blobStore(context, definition)
        }
        api.buffer_create = { data, length in
            guard data != nil || length == 0 else { return nil }
            return HostBuffer(bytes: UnsafeRawBufferPointer(start: data, count: length)).retainedHandle()
        }
        api.blob_put = { host, key, data, length, contentType, keyOut, error in
            keyOut?.pointee = nil
            guard data != nil || length == 0 else { return IA_ERR_INVALID_ARGUMENT }
            return HostAPI.withStore(host, key, allowPrefix: true, error) { store, key in
                HostAPI.nullOnFailure(keyOut) { store.definition.put(store.definition.user_data, key, data, length, contentType, $0, error) }
            }
        }
        api.blob_get = { host, key, out, error in
            out?.pointee = nil
            return HostAPI.withStore(host, key, allowPrefix: false, error) { store, key in
                HostAPI.nullOnFailure(out) { store.definition.get(store.definition.user_data, key, $0, error) }
            }
        }
        api.blob_delete = { host, key, error in
            HostAPI.withStore(host, key, allowPrefix: false, error) { store, key in
                store.definition.remove(store.definition.user_data, key, error)
            }
        }
        api.blob_url = { host, key, out, error in
            out?.pointee = nil
            return HostAPI.withStore(host, key, allowPrefix: false, error) { store, key in
                HostAPI.nullOnFailure(out) { store.definition.public_url(store.definition.user_data, key, $0, error) }
            }
        }
    }

    /// Calls a backend slot that fills a buffer and keeps the promise that the caller's pointer is
    /// NULL on failure: a buffer the backend set before failing is freed here.
    private static func nullOnFailure(
        _ out: UnsafeMutablePointer<OpaquePointer?>?,
        _ call: (UnsafeMutablePointer<OpaquePointer?>?) -> ia_status
    ) -> ia_status {
        let status = call(out)
        if status != IA_OK, let out, let buffer = out.pointee {
            Unmanaged<HostBuffer>.fromOpaque(UnsafeRawPointer(buffer)).release()
            out.pointee = nil
        }
        return status
    }

    /// Checks the key, finds the active backend, and calls it.
    private static func withStore(
        _ host: OpaquePointer?,
        _ key: ia_str,
        allowPrefix: Bool,
        _ error: UnsafeMutablePointer<ia_error>?,
        _ call: (BlobStores.Store, ia_str) -> ia_status
    ) -> ia_status {
        guard let context = PluginContext.from(host) else { return IA_ERR_INVALID_ARGUMENT }
        if let problem = BlobStores.problem(with: CString.string(key), allowPrefix: allowPrefix) {
            ErrorBuffer.write(error, status: IA_ERR_INVALID_ARGUMENT, message: problem)
            return IA_ERR_INVALID_ARGUMENT
        }
        guard let store = context.registry.blobStores.active else {
            ErrorBuffer.write(error, status: IA_ERR_UNAVAILABLE, message: "no blob store is enabled (e.g. the storage-fs plugin)")
            return IA_ERR_UNAVAILABLE
        }
        return call(store, key)
    }
}
