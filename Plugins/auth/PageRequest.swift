import ImageAppPlugin

/// `?limit=&cursor=` of a list route (PRODUCT.md: `limit` defaults to 20 and is capped at 40). Cursors are the last
/// item's id: opaque to clients, checked to be one here.
struct PageRequest: Encodable, Sendable {
    var limit: Int
    var cursor: String?

    init(_ request: Request) throws(HTTPError) {
        var problems = FieldProblems()
        limit = 20
        if let text = request.query("limit") {
            if let value = Int(text), value >= 1 { limit = min(value, 40) } else { problems.check("limit", "must be a positive integer") }
        }
        cursor = request.query("cursor").flatMap { $0.isEmpty ? nil : $0 }
        if let cursor, Int64(cursor) == nil || cursor.hasPrefix("-") { problems.check("cursor", "is not a cursor from this list") }
        try problems.throwIfAny()
    }
}
