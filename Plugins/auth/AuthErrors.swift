import ImageAppPlugin

/// The refusals the plugin answers with, in one place so that the same situation always reads the same.
enum AuthErrors {
    /// Wrong password and unknown account alike: telling them apart would reveal which accounts exist.
    static let invalidCredentials = HTTPError(
        status: 401,
        code: "invalid_credentials",
        message: "The login or password is wrong."
    )
    static let banned = HTTPError(status: 403, code: "account_banned", message: "This account is banned.")
    static let sessionNotFound = HTTPError.notFound("No such session.", code: "session_not_found")
    static let userNotFound = HTTPError.notFound("No such user.", code: "user_not_found")
    static let invalidToken = HTTPError(
        status: 400,
        code: "invalid_token",
        message: "The link is invalid, expired or already used."
    )
    static let invalidPassword = HTTPError(
        status: 403,
        code: "invalid_password",
        message: "The password is wrong.",
        details: ["password": "is wrong"]
    )
    static let lastAdmin = HTTPError.conflict(
        "This would leave the site without an active admin.",
        code: "last_admin"
    )
    static let csrf = HTTPError(
        status: 403,
        code: "csrf_failed",
        message: "A cookie-authenticated request that changes something needs the X-CSRF-Token header."
    )
    static let invalidBearer = HTTPError(
        status: 401,
        code: "invalid_token",
        message: "The bearer token is invalid, expired or revoked.",
        headers: ["WWW-Authenticate": "Bearer error=\"invalid_token\""]
    )
}
