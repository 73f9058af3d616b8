import AuthContract
import ImageAppPlugin

extension UserID {
    /// The ID in `text`, as this plugin's SQL (`id::text`) and its callers write it.
    ///
    /// - Throws: 404 `user_not_found` for anything that is not a positive 64-bit integer: no user has that ID.
    static func parse(_ text: String) throws(HTTPError) -> UserID {
        guard let id = UserID(text) else { throw AuthErrors.userNotFound }
        return id
    }
}
