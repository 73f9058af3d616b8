public import ProfilesContract

/// JSON Schemas (as JSON text) of the shared post shape, for the OpenAPI documents of routes that answer posts
/// (posts' own, and feeds').
public enum PostSchemas {
    /// An ID.
    public static let id = #"{"type":"string","pattern":"^[1-9][0-9]{0,18}$","description":"A 64-bit integer as a string."}"#

    /// A user summary (profiles' shape).
    public static let userSummary = UserSummarySchemas.summary

    /// A media item.
    public static let media = """
        {"type":"object","required":["id","type","url","preview_url","width","height","alt","blurhash"],"properties":{\
        "id":\(id),"type":{"type":"string","enum":["image"]},"url":{"type":"string"},"preview_url":{"type":"string"},\
        "width":{"type":"integer","minimum":1},"height":{"type":"integer","minimum":1},"alt":{"type":["string","null"]},\
        "blurhash":{"type":"string"}}}
        """

    /// The shared post shape.
    public static let post = """
        {"type":"object","required":["id","author","caption","tags","mentions","media","like_count","comment_count",\
        "liked","created_at","edited_at"],"properties":{"id":\(id),"author":\(userSummary),\
        "caption":{"type":"string"},"tags":{"type":"array","items":{"type":"string"}},\
        "mentions":{"type":"array","items":{"type":"object","required":["id","handle"],"properties":{"id":\(id),\
        "handle":{"type":"string"}}}},"media":{"type":"array","items":\(media)},\
        "like_count":{"type":"integer","minimum":0},"comment_count":{"type":"integer","minimum":0},\
        "liked":{"type":"boolean"},"created_at":{"type":"string","format":"date-time"},\
        "edited_at":{"type":["string","null"],"format":"date-time"}}}
        """

    /// A page of posts.
    public static let page = """
        {"type":"object","required":["items","next_cursor"],"properties":{"items":{"type":"array","items":\(post)},\
        "next_cursor":{"type":["string","null"]}}}
        """
}
