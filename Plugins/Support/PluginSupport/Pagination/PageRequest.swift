public import ImageAppPlugin

/// `?limit=&cursor=` of a list route (docs/API.md, "Pagination").
///
/// `limit` defaults to ``defaultLimit`` and larger values are capped at ``maxLimit``; a `limit` that is not a
/// positive integer, or a `cursor` that this server did not write, is refused with 422 `validation_failed` naming the
/// parameter. An empty `cursor` is the first page.
public struct PageRequest: Hashable, Sendable {
    /// The page size when the client gives none.
    public static let defaultLimit = 20
    /// The largest page a client can ask for; larger requests get this many.
    public static let maxLimit = 40

    /// Items wanted, 1...``maxLimit``.
    public var limit: Int
    /// Where the page starts; `nil` for the first page.
    public var cursor: PageCursor?

    /// A request for `limit` items after `cursor`.
    public init(limit: Int = PageRequest.defaultLimit, cursor: PageCursor? = nil) {
        self.limit = min(max(limit, 1), Self.maxLimit)
        self.cursor = cursor
    }

    /// Reads `limit` and `cursor` from the query string of `request`.
    ///
    /// - Throws: ``HTTPError`` 422 `validation_failed` when either is malformed.
    public init(_ request: Request) throws(HTTPError) {
        try self.init(limit: request.query("limit"), cursor: request.query("cursor"))
    }

    /// Reads the query parameters' values; `nil` is an absent parameter.
    ///
    /// - Throws: ``HTTPError`` 422 `validation_failed` when either is malformed.
    public init(limit limitText: String?, cursor cursorText: String?) throws(HTTPError) {
        var problems = FieldProblems()
        var limit = Self.defaultLimit
        if let limitText {
            // Digits only: `Int` alone would take "+5".
            let digitsOnly = limitText.utf8.allSatisfy { (0x30...0x39).contains($0) }
            if !limitText.isEmpty, limitText.utf8.count <= 18, digitsOnly, let value = Int(limitText), value >= 1 {
                limit = min(value, Self.maxLimit)
            } else {
                problems.check("limit", "must be a positive integer")
            }
        }
        var cursor: PageCursor?
        if let cursorText, !cursorText.isEmpty {
            cursor = PageCursor(text: cursorText)
            if cursor == nil { problems.check("cursor", "is not a cursor from this list") }
        }
        try problems.throwIfAny()
        self.init(limit: limit, cursor: cursor)
    }
}
