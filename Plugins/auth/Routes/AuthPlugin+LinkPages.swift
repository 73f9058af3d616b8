import AuthContract
import Foundation
import ImageAppPlugin
import PluginSupport

extension AuthPlugin {
    /// The pages the links in auth's mail open: `GET`/`POST /verify-email` and `GET`/`POST /reset-password` (left out
    /// of the OpenAPI document; a web UI plugin may serve its own instead, with `link_pages = false`). Plain HTML forms
    /// that post back to themselves; the token is the only credential, so these posts are never cookie-authenticated
    /// (see the middleware).
    func registerLinkPages(_ registrar: PluginRegistrar) throws {
        guard settings.linkPages else { return }
        try registrar.route(.get, Self.verifyPagePath, flags: .hidden) { request in
            guard let token = request.query("token"), SecretToken.parse(token) != nil else { return Self.invalidLinkPage.response }
            return LinkPage(
                title: "Confirm your email address",
                body: """
                    <p>Confirm that this email address is yours.</p>
                    <form method="post" action="\(Self.verifyPagePath)">
                    <input type="hidden" name="token" value="\(LinkPage.escape(token))">
                    <button type="submit">Confirm my email address</button></form>
                    """
            ).response
        }
        try registrar.route(.post, Self.verifyPagePath, flags: .hidden, maxBodyBytes: 16 * 1024) { request in
            guard isSameOriginPost(request) else { return Self.crossSitePage(title: "Confirm your email address") }
            do {
                let account = try verifyEmail(token: try Self.form(request)["token"], request: request)
                return LinkPage(
                    title: "Email address confirmed",
                    body: """
                        <p>Thank you, @\(LinkPage.escape(account.handle)): your email address is confirmed.</p>
                        """
                ).response
            } catch let error as HTTPError {
                return Self.errorPage(error, title: "Confirm your email address")
            }
        }
        try registrar.route(.get, Self.resetPagePath, flags: .hidden) { request in
            guard let token = request.query("token"), SecretToken.parse(token) != nil else { return Self.invalidLinkPage.response }
            return Self.resetForm(token: token, problem: nil).response
        }
        try registrar.route(.post, Self.resetPagePath, flags: .hidden, maxBodyBytes: 16 * 1024) { request in
            // A cross-site post with the forger's own valid token would otherwise sign the victim's browser out.
            guard isSameOriginPost(request) else { return Self.crossSitePage(title: "Choose a new password") }
            let fields: [String: String]
            do {
                fields = try Self.form(request)
            } catch let error as HTTPError {
                return Self.errorPage(error, title: "Choose a new password")
            }
            let token = fields["token"] ?? ""
            guard fields["password"] == fields["password_confirmation"] else {
                return Self.resetForm(token: token, problem: "The two passwords differ.", status: 422).response
            }
            do {
                try resetPassword(token: token, password: fields["password"], request: request)
                return clearingCookies(
                    LinkPage(
                        title: "Password changed",
                        body: """
                            <p>Your password is changed, and every device that was signed in has been signed out. Sign in again \
                            with the new password.</p>
                            """
                    ).response
                )
            } catch let error as HTTPError where error.status == 422 {
                let problem = error.details["password"].map { "The password \($0)." } ?? error.message
                return Self.resetForm(token: token, problem: problem, status: 422).response
            } catch let error as HTTPError {
                return Self.errorPage(error, title: "Choose a new password")
            }
        }
    }

    static let verifyPagePath = "/verify-email"
    static let resetPagePath = "/reset-password"

    private static var invalidLinkPage: LinkPage {
        LinkPage(title: "This link does not work", body: "<p>The link is incomplete. Open it again from the email.</p>", status: 400)
    }

    private static func resetForm(token: String, problem: String?, status: Int = 200) -> LinkPage {
        LinkPage(
            title: "Choose a new password",
            body: """
                \(problem.map { "<p class=\"error\">\(LinkPage.escape($0))</p>" } ?? "")
                <form method="post" action="\(resetPagePath)">
                <input type="hidden" name="token" value="\(LinkPage.escape(token))">
                <label>New password<input type="password" name="password" autocomplete="new-password" minlength="8" required></label>
                <label>Once more<input type="password" name="password_confirmation" autocomplete="new-password" minlength="8" required></label>
                <button type="submit">Change my password</button></form>
                """,
            status: status
        )
    }

    /// An error as a page, with the status and sentence of the JSON answer and the `Retry-After` of a 429 or 503.
    private static func errorPage(_ error: HTTPError, title: String) -> Response {
        let sentence =
            error.code == AuthErrors.invalidToken.code
            ? "This link is invalid, has expired or was already used. Ask for a new one."
            : error.message
        var response = LinkPage(title: title, body: "<p class=\"error\">\(LinkPage.escape(sentence))</p>", status: error.status).response
        if let retry = error.headers["Retry-After"] { response.headers.append(("Retry-After", retry)) }
        return response
    }

    /// Whether a post to a link page comes from this site's own page, as the browser reports it.
    ///
    /// `Sec-Fetch-Site` must be `same-origin` when sent; otherwise `Origin`, when sent, must be `public_url`'s origin
    /// or name the `Host` the request was sent to (`null` never matches). A post with neither header comes from a
    /// client that is not a browser (curl, a script, a test): it is allowed, since only a browser carries a victim's
    /// cookies, and every browser that honours `SameSite` (which these cookies rely on) sends `Origin` on a form post.
    func isSameOriginPost(_ request: Request) -> Bool {
        if let site = request.header("Sec-Fetch-Site") { return site.lowercased() == "same-origin" }
        guard let origin = request.header("Origin") else { return true }
        let lowered = origin.lowercased()
        if lowered == Self.origin(of: settings.publicURL) { return true }
        guard let host = request.header("Host")?.lowercased(), let separator = lowered.range(of: "://") else { return false }
        return lowered[separator.upperBound...] == host
    }

    /// `scheme://host[:port]` of a URL, lower-cased.
    private static func origin(of url: String) -> String {
        let lowered = url.lowercased()
        guard let separator = lowered.range(of: "://") else { return lowered }
        let authority = lowered[separator.upperBound...].prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return String(lowered[..<separator.upperBound]) + authority
    }

    /// The answer to a cross-site post to a link page: 403, nothing done.
    private static func crossSitePage(title: String) -> Response {
        LinkPage(
            title: title,
            body: "<p class=\"error\">This form only works from this site's own page. Open the link from the email again.</p>",
            status: 403
        ).response
    }

    /// The fields of a form post; 415 for another body type, 400 for a malformed one.
    private static func form(_ request: Request) throws(HTTPError) -> [String: String] {
        guard request.mediaType == "application/x-www-form-urlencoded" else {
            throw HTTPError(status: 415, code: "unsupported_media_type", message: "Send the form as the page does.")
        }
        guard let fields = FormURLEncoded.parse(request.body) else {
            throw HTTPError.badRequest("The form could not be read.")
        }
        return fields
    }
}
