/// A page of a cursor-paginated list: `{"items": [...], "next_cursor": "opaque-or-null"}` (docs/API.md,
/// "Pagination").
public struct Page<Item: Codable & Sendable>: Codable, Sendable {
    /// The items of this page, in the list's order.
    public var items: [Item]
    /// The cursor of the next page, `nil` on the last one.
    public var nextCursor: String?

    /// A page of `items` followed by the page at `nextCursor`.
    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    /// A page from up to `limit + 1` fetched items: the extra one only says that there is a next page, which starts
    /// after the last kept item (`cursor` gives that item's cursor).
    public init(fetched: [Item], limit: Int, cursor: (Item) -> PageCursor) {
        items = Array(fetched.prefix(limit))
        nextCursor = fetched.count > limit ? items.last.map { cursor($0).text } : nil
    }

    /// The same page with each item transformed (a stored row into what a route shows, say).
    public func map<Other: Codable & Sendable>(_ transform: (Item) throws -> Other) rethrows -> Page<Other> {
        Page<Other>(items: try items.map(transform), nextCursor: nextCursor)
    }

    private enum CodingKeys: String, CodingKey {
        case items
        case nextCursor
    }

    // Written out so that the last page says `"next_cursor": null` rather than leaving the key out.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(items, forKey: .items)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}
