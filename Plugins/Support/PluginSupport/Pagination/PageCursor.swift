import PluginCrypto

/// Where a page of a list starts: the sort key of the last item of the page before, as an opaque string.
///
/// Lists are ordered newest first by a `(time, id)` key, or by `id` alone where ids are time-sortable (the host's
/// `ia_next_id()`); the next page holds the items that sort after the key. On the wire a cursor is the base64url
/// (no padding) of `"<id>"` or `"<time>.<id>"` in decimal: clients must treat it as opaque, so the format may change
/// without breaking them. Parsing is strict — only the exact text ``text`` produces is accepted — so a forged or
/// damaged cursor is a 422, never a query with a surprising key.
public struct PageCursor: Hashable, Sendable {
    /// A list-defined time, such as microseconds since 1970; `nil` for lists ordered by id alone.
    public var time: Int64?
    /// The last item's id: positive.
    public var id: Int64

    /// The cursor after the item with `id` (and `time`, for lists ordered by time first).
    public init(time: Int64? = nil, id: Int64) {
        self.time = time
        self.id = id
    }

    /// Reads a cursor written by ``text``; `nil` for anything else.
    public init?(text: String) {
        guard !text.isEmpty, text.utf8.count <= 64, let bytes = Base64URL.decode(text),
            let decoded = String(validating: bytes, as: UTF8.self)
        else { return nil }
        let parts = decoded.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let id = Int64(parts[parts.count - 1]), id > 0 else { return nil }
        var cursor = PageCursor(id: id)
        if parts.count == 2 {
            guard let time = Int64(parts[0]) else { return nil }
            cursor.time = time
        }
        // Only the canonical form: no leading zeros, signs or padding that would give one key two cursors.
        guard cursor.text == text else { return nil }
        self = cursor
    }

    /// The opaque text clients send back as `?cursor=`.
    public var text: String {
        let plain = time.map { "\($0).\(id)" } ?? String(id)
        return Base64URL.encode(Array(plain.utf8))
    }
}
