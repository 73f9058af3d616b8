import AuthContract

/// The account as its owner sees it in auth's answers (`user`).
struct UserView: Encodable, Sendable {
    var id: UserID
    var handle: String
    var email: String
    var role: String
    var emailVerified: Bool
    var createdAt: String
    var displayName: String?

    init(_ account: Account, displayName: String? = nil) {
        id = account.id
        handle = account.handle
        email = account.email
        role = account.role
        emailVerified = account.emailVerified
        createdAt = account.createdAt
        self.displayName = displayName
    }
}
