/// JSON Schemas (as JSON text) of the user summary, for the OpenAPI documents of every plugin that lists people.
public enum UserSummarySchemas {
    /// An ID: a positive 64-bit integer written as a string.
    public static let id = #"{"type":"string","pattern":"^[1-9][0-9]{0,18}$","description":"A 64-bit integer as a string."}"#

    /// One user summary: `{"id", "handle", "display_name", "avatar_url"}`.
    public static let summary = """
        {"type":"object","required":["id","handle","display_name","avatar_url"],"properties":{"id":\(id),\
        "handle":{"type":"string"},"display_name":{"type":["string","null"]},"avatar_url":{"type":["string","null"]}}}
        """

    /// A page of user summaries: `{"items", "next_cursor"}`.
    public static let page = """
        {"type":"object","required":["items","next_cursor"],"properties":{"items":{"type":"array","items":\(summary)},\
        "next_cursor":{"type":["string","null"]}}}
        """
}
