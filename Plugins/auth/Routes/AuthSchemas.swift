import PluginSupport

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// JSON Schemas (as JSON text) of the request bodies, for the OpenAPI document. They state exactly what the routes'
/// validation accepts (the schema fuzz test sends what they call valid and invalid and checks the answers), so each
/// rule of ``AccountRules`` appears here as `minLength`, `maxLength`, `pattern` or `not`/`enum`. Lengths count
/// Unicode code points, as JSON Schema does. What no schema can say — a password equal to the handle, a name taken,
/// a reserved handle or common password in another letter case — is in the descriptions.
enum AuthSchemas {
    /// Regular-expression classes (ECMA-262 and Python alike), written as JSON string text.
    private enum Class {
        /// Control characters and invisible formatting characters (``UnsafeCharacters``), which no one-line field may
        /// hold.
        static let control = UnsafeCharacters.patternClass()
        /// What Foundation's `whitespaces` trims (general category Zs, and tab).
        static let spaces = #"\\t \\u00a0\\u1680\\u2000-\\u200a\\u202f\\u205f\\u3000"#
        /// What Foundation's `whitespacesAndNewlines` trims: `spaces`, line breaks and the line and paragraph
        /// separators.
        static let trimmed = spaces + #"\\n\\u000b\\f\\r\\u0085\\u2028\\u2029"#
    }

    /// Text without control characters that is not empty once spaces are trimmed.
    static let oneLinePattern = #"^[^\#(Class.control)]*[^\#(Class.control)\#(Class.spaces)][^\#(Class.control)]*$"#

    /// A token from a mailed link: 32 random bytes in base64url.
    static let token = #"""
        {"type":"string","pattern":"^[A-Za-z0-9_-]{43}$","description":"The token from the mailed link."}
        """#

    /// A new password: 8 to 1,024 characters, not a common one.
    static let newPassword = """
        {"type":"string","minLength":8,"maxLength":1024,"not":{"enum":\(jsonArray(AccountRules.commonPasswords))},\
        "description":"8 to 1024 characters; not a common password (compared ignoring case) and not your handle or \
        email address."}
        """

    /// An email address as ``AccountRules/emailProblem(_:)`` accepts it.
    static let email = """
        {"type":"string","format":"email","minLength":5,"maxLength":254,"pattern":"^[^\(Class.control)]*$",\
        "description":"One @, a local part of 1 to 64 bytes and a dotted domain, without spaces, control or \
        invisible formatting characters; surrounding spaces are ignored."}
        """

    /// How the client wants to hold its session; `null` or absent lets the server choose (a cookie for browsers).
    static let session = #"{"type":["string","null"],"enum":["cookie","token",null]}"#

    /// `POST /api/v1/auth/register`; `reserved` are the handles nobody may take.
    static func register(reserved: Set<String>) -> String {
        """
        {"type":"object","required":["handle","email","password"],"properties":{\
        "handle":{"type":"string","minLength":3,"maxLength":30,"pattern":"^[A-Za-z0-9_]+$",\
        "not":{"enum":\(jsonArray(reserved))},\
        "description":"3 to 30 of A-Z a-z 0-9 _, unique and not reserved, both ignoring case."},\
        "email":\(email),\
        "password":\(newPassword),\
        "display_name":\(TextRule.displayName.schema(description: displayName)),\
        "session":\(session)}}
        """
    }

    /// What ``TextRule/displayName`` asks, in words.
    private static let displayName = """
        At most 50 characters on one line, without control or invisible formatting characters or more than 4 \
        combining marks in a row; stored in Unicode normal form C, where it must fit 50 characters and 200 bytes too. \
        Trimmed, and blank is none.
        """

    /// `POST /api/v1/auth/login`.
    static let login = """
        {"type":"object","required":["login","password"],"properties":{\
        "login":{"type":"string","minLength":1,"maxLength":254,"pattern":"\(oneLinePattern)",\
        "description":"Your handle or email address; surrounding spaces are ignored."},\
        "password":{"type":"string","minLength":1,"maxLength":1024},\
        "session":\(session)}}
        """

    /// `POST /api/v1/auth/password/forgot`.
    static let forgotPassword = """
        {"type":"object","required":["email"],"properties":{"email":\(email)}}
        """

    /// `POST /api/v1/auth/password/reset`.
    static let resetPassword = """
        {"type":"object","required":["token","password"],"properties":{"token":\(token),"password":\(newPassword)}}
        """

    /// `POST /api/v1/auth/password/change`.
    static let changePassword = """
        {"type":"object","required":["current_password","new_password"],"properties":{\
        "current_password":{"type":"string","minLength":1},"new_password":\(newPassword)}}
        """

    /// `POST /api/v1/auth/email/verify`.
    static let verifyEmail = #"{"type":"object","required":["token"],"properties":{"token":\#(token)}}"#

    /// `POST /api/v1/admin/users/{handle}/ban`.
    static let ban = """
        {"type":"object","required":["reason"],"properties":{"reason":{"type":"string","minLength":1,\
        "maxLength":500,"pattern":"^[^\\\\u0000]*[^\\\\u0000\(Class.trimmed)][^\\\\u0000]*$",\
        "description":"1 to 500 characters once trimmed; line breaks allowed."}}}
        """

    /// `values` sorted, as a JSON array of strings.
    private static func jsonArray(_ values: Set<String>) -> String {
        String(decoding: (try? JSONEncoder().encode(values.sorted())) ?? Data("[]".utf8), as: UTF8.self)
    }
}
