import CImageAppPlugin

/// Blob storage backends that plugins registered, and the active one.
///
/// Other plugins store bytes through the host (`blob_put`, ...) without knowing which backend
/// keeps them; `host.blob_store` names it (or the only one registered is used).
///
/// A value: filled during `init`, `active` chosen at start, then frozen with the registry.
struct BlobStores: Sendable {
    /// `@unchecked Sendable`: the functions and user data are the plugin's, which the ABI
    /// requires to be callable from any thread for the life of the process.
    struct Store: @unchecked Sendable {
        let plugin: PluginContext
        let name: String
        let definition: ia_blob_store_def
    }

    private(set) var stores: [String: Store] = [:]
    private(set) var active: Store?

    mutating func add(_ store: Store) -> Result<Void, RegistrationError> {
        guard PluginSection.isValidName(store.name) else {
            return .failure(.invalid("blob store name '\(store.name)' must be 1-64 characters of a-z, 0-9 and '-'"))
        }
        let definition = store.definition
        guard definition.put != nil, definition.get != nil, definition.remove != nil, definition.public_url != nil else {
            return .failure(.invalid("blob store '\(store.name)' of plugin '\(store.plugin.name)' lacks put, get, remove or public_url"))
        }
        if let existing = stores[store.name] {
            return .failure(
                .conflict("blob store '\(store.name)' of plugin '\(store.plugin.name)' is already registered by plugin '\(existing.plugin.name)'")
            )
        }
        stores[store.name] = store
        return .success(())
    }

    /// Picks the active backend: `configured`, or the only one registered.
    mutating func activate(configured: String?) throws(PluginLoadError) {
        if let configured {
            guard let store = stores[configured] else {
                let known = stores.keys.sorted()
                throw PluginLoadError(
                    plugin: "host",
                    message:
                        "host.blob_store is '\(configured)', but the enabled plugins register \(known.isEmpty ? "no blob store" : "only: " + known.joined(separator: ", "))"
                )
            }
            active = store
        } else if stores.count == 1 {
            active = stores.values.first
        } else if stores.count > 1 {
            throw PluginLoadError(
                plugin: "host",
                message: "several blob stores are registered (\(stores.keys.sorted().joined(separator: ", "))); choose one with host.blob_store"
            )
        }
    }

    /// Nil when `key` is acceptable, else why not. A prefix (for backend-chosen names) may be
    /// empty or end with '/'.
    static func problem(with key: String, allowPrefix: Bool) -> String? {
        if key.isEmpty { return allowPrefix ? nil : "a blob key must not be empty" }
        guard key.utf8.count <= 512 else { return "a blob key is at most 512 bytes" }
        guard
            key.utf8.allSatisfy({
                ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x5F || $0 == 0x2D
                    || $0 == 0x2F
            })
        else { return "a blob key may hold only A-Z, a-z, 0-9, '.', '_', '-' and '/'" }
        guard !key.hasPrefix("/") else { return "a blob key must be relative" }
        var segments = key.split(separator: "/", omittingEmptySubsequences: false)
        if allowPrefix, key.hasSuffix("/") { segments.removeLast() } else if key.hasSuffix("/") { return "a blob key must not end with '/'" }
        for segment in segments {
            if segment.isEmpty { return "a blob key must not contain '//'" }
            if segment == "." || segment == ".." { return "a blob key must not contain '.' or '..' segments" }
        }
        return nil
    }
}
