/// A page of a cursor-paginated list (PRODUCT.md: `{"items": [...], "next_cursor": "opaque-or-null"}`).
struct Page<Item: Codable & Sendable>: Codable, Sendable {
    var items: [Item]
    var nextCursor: String?

    init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    /// A page from up to `limit + 1` fetched items: the extra one only says that there is a next page, whose
    /// cursor is the last kept item's.
    init(fetched: [Item], limit: Int, cursor: (Item) -> String) {
        items = Array(fetched.prefix(limit))
        nextCursor = fetched.count > limit ? items.last.map(cursor) : nil
    }

    private enum CodingKeys: String, CodingKey {
        case items
        case nextCursor
    }

    // Written out so that the last page says `"next_cursor": null` rather than leaving the key out.
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}
