import PluginSupport

/// JSON Schemas (as JSON text) of the routes' bodies, for the OpenAPI document.
///
/// Request schemas state exactly what ``ProfileRules`` accepts (the schema fuzz test holds them to it): the
/// ``TextRule``s write them, lengths in Unicode code points as JSON Schema counts them, and the characters and mark
/// runs refused as patterns.
enum ProfilesSchemas {
    /// The `counts` object.
    private static let counts = """
        {"type":"object","description":"Counts other plugins contribute (posts, followers, following, …); 0 when \
        the plugin that would count is not enabled.","required":["posts","followers","following"],\
        "properties":{"posts":{"type":"integer","minimum":0},"followers":{"type":"integer","minimum":0},\
        "following":{"type":"integer","minimum":0}},"additionalProperties":{"type":"integer"}}
        """

    /// The fields shared by the public profile and `/me`.
    private static let profileProperties = """
        "id":{"type":"string","description":"The user's ID: a 64-bit integer as a string."},\
        "handle":{"type":"string"},\
        "display_name":{"type":["string","null"],"description":"At most 50 characters; null when not set."},\
        "bio":{"type":"string","description":"At most 500 characters; may be empty."},\
        "avatar_url":{"type":["string","null"],"description":"The avatar as a large square (400 px unless \
        configured): absolute, or a path on this server; null when there is no avatar."},\
        "avatar_small_url":{"type":["string","null"],"description":"The avatar as a small square (96 px unless \
        configured), for small places such as a post's author; null when there is no avatar."},\
        "created_at":{"type":"string","format":"date-time"},\
        "counts":\(counts)
        """

    /// `GET /api/v1/users/{handle}`.
    static let publicProfile = """
        {"type":"object","required":["id","handle","display_name","bio","avatar_url","avatar_small_url","created_at",\
        "counts"],\
        "properties":{\(profileProperties)}}
        """

    /// `GET`, `PATCH /api/v1/me` and `PUT /api/v1/me/avatar`.
    static let me = """
        {"type":"object","required":["id","handle","display_name","bio","avatar_url","avatar_small_url","created_at",\
        "email","email_verified","role","counts"],"properties":{\(profileProperties),\
        "email":{"type":["string","null"]},\
        "email_verified":{"type":"boolean"},\
        "role":{"type":"string","enum":["user","admin"]}}}
        """

    /// The body of `PATCH /api/v1/me`.
    static let update = """
        {"type":"object","additionalProperties":false,"properties":{\
        "display_name":\(ProfileRules.displayNameRule.schema(description: displayName)),\
        "bio":\(ProfileRules.bioRule.schema(description: bio))}}
        """

    /// What ``ProfileRules/displayNameRule`` asks, in words.
    private static let displayName = """
        Trimmed; at most 50 characters on one line, without control or invisible formatting characters (bidi \
        overrides, zero-width spaces) or more than 4 combining marks in a row; stored in Unicode normal form C, where \
        it must fit 50 characters and 200 bytes too. null or blank removes the name.
        """

    /// What ``ProfileRules/bioRule`` asks, in words.
    private static let bio = """
        Trimmed; at most 500 characters; line breaks (\\\\n or \\\\r\\\\n) and tabs allowed, no other control or \
        invisible formatting characters and no more than 4 combining marks in a row; stored in Unicode normal form \
        C, where it must fit 500 characters and 2000 bytes too. null empties it.
        """

    /// The body of `DELETE /api/v1/me`.
    static let deleteAccount = """
        {"type":"object","required":["password"],"properties":{"password":{"type":"string",\
        "minLength":1,"description":"The account's current password."}}}
        """
}
