/// JSON Schemas (as JSON text) of the routes' bodies, for the OpenAPI document.
struct CommentsSchemas: Sendable {
    private static let id = #"{"type":"string","pattern":"^[1-9][0-9]{0,18}$","description":"A 64-bit integer as a string."}"#

    private static let author = """
        {"type":["object","null"],"required":["id","handle","display_name","avatar_url"],"properties":{"id":\(id),\
        "handle":{"type":"string"},"display_name":{"type":["string","null"]},"avatar_url":{"type":["string","null"]}},\
        "description":"The user summary; null for a deleted comment."}
        """

    /// The shared comment shape, plus `mentions`.
    static let comment = """
        {"type":"object","required":["id","post_id","parent_id","author","body","mentions","created_at","deleted"],\
        "properties":{"id":\(id),"post_id":\(id),"parent_id":{"type":["string","null"],"pattern":"^[1-9][0-9]{0,18}$"},\
        "author":\(author),"body":{"type":"string"},"mentions":{"type":"array","items":{"type":"object",\
        "required":["id","handle"],"properties":{"id":\(id),"handle":{"type":"string"}}}},\
        "created_at":{"type":"string","format":"date-time"},"deleted":{"type":"boolean"}}}
        """

    /// A page of comments.
    static let page = """
        {"type":"object","required":["items","next_cursor"],"properties":{"items":{"type":"array","items":\(comment)},\
        "next_cursor":{"type":["string","null"]}}}
        """

    /// The JSON body of `POST /api/v1/posts/{id}/comments`.
    let newComment: String

    init(rules: CommentRules) {
        newComment = """
            {"type":"object","required":["body"],"additionalProperties":false,"properties":{"body":\(rules.bodySchema),\
            "parent_id":{"type":["string","null"],"pattern":"^[1-9][0-9]{0,18}$",\
            "description":"The comment replied to, on the same post; a reply to a reply joins its thread."}}}
            """
    }
}
