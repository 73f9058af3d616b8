import ImageAppPlugin

/// A valid session and whom it belongs to, as the middleware caches it.
struct ResolvedSession: Sendable, Equatable, Codable {
    var sessionId: String
    var userId: String
    var handle: String
    var role: String

    /// The compact form kept in Redis: tab-separated (handles never contain tabs).
    var cacheText: String { "\(sessionId)\t\(userId)\t\(role)\t\(handle)" }

    init(sessionId: String, userId: String, handle: String, role: String) {
        self.sessionId = sessionId
        self.userId = userId
        self.handle = handle
        self.role = role
    }

    init?(cacheText: String) {
        let fields = cacheText.split(separator: "\t", maxSplits: 3, omittingEmptySubsequences: false)
        guard fields.count == 4 else { return nil }
        self.init(sessionId: String(fields[0]), userId: String(fields[1]), handle: String(fields[3]), role: String(fields[2]))
    }

    var principal: Principal? {
        Int64(userId).map { Principal(userID: $0, handle: handle, role: role) }
    }
}
