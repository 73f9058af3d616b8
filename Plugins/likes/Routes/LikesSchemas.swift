/// JSON Schemas (as JSON text) of the routes' bodies, for the OpenAPI document.
enum LikesSchemas {
    /// `{"liked", "like_count"}`.
    static let state = """
        {"type":"object","required":["liked","like_count"],"properties":{"liked":{"type":"boolean"},\
        "like_count":{"type":"integer","minimum":0}}}
        """

    /// A page of user summaries.
    static let likers = """
        {"type":"object","required":["items","next_cursor"],"properties":{"items":{"type":"array","items":{"type":"object",\
        "required":["id","handle","display_name","avatar_url"],"properties":{"id":{"type":"string"},"handle":{"type":"string"},\
        "display_name":{"type":["string","null"]},"avatar_url":{"type":["string","null"]}}}},"next_cursor":{"type":["string","null"]}}}
        """
}
