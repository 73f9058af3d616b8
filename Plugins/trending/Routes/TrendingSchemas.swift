/// JSON Schemas (as JSON text) of the routes' bodies, for the OpenAPI document.
enum TrendingSchemas {
    private static let id = #"{"type":"string","pattern":"^[1-9][0-9]{0,18}$","description":"A 64-bit integer as a string."}"#

    private static let userSummary = """
        {"type":"object","required":["id","handle","display_name","avatar_url"],"properties":{"id":\(id),\
        "handle":{"type":"string"},"display_name":{"type":["string","null"]},"avatar_url":{"type":["string","null"]}}}
        """

    private static let media = """
        {"type":"object","required":["id","type","url","preview_url","width","height","alt","blurhash"],"properties":{\
        "id":\(id),"type":{"type":"string","enum":["image"]},"url":{"type":"string"},"preview_url":{"type":"string"},\
        "width":{"type":"integer","minimum":1},"height":{"type":"integer","minimum":1},"alt":{"type":["string","null"]},\
        "blurhash":{"type":"string"}}}
        """

    /// The shared post shape, as `posts` documents it.
    private static let post = """
        {"type":"object","required":["id","author","caption","tags","mentions","media","like_count","comment_count",\
        "liked","created_at","edited_at"],"properties":{"id":\(id),"author":\(userSummary),\
        "caption":{"type":"string"},"tags":{"type":"array","items":{"type":"string"}},\
        "mentions":{"type":"array","items":{"type":"object","required":["id","handle"],"properties":{"id":\(id),\
        "handle":{"type":"string"}}}},"media":{"type":"array","items":\(media)},\
        "like_count":{"type":"integer","minimum":0},"comment_count":{"type":"integer","minimum":0},\
        "liked":{"type":"boolean"},"created_at":{"type":"string","format":"date-time"},\
        "edited_at":{"type":["string","null"],"format":"date-time"}}}
        """

    /// A page of trending posts.
    static let posts = """
        {"type":"object","required":["items","next_cursor"],"properties":{"items":{"type":"array","items":\(post)},\
        "next_cursor":{"type":["string","null"]}}}
        """

    /// The trending hashtags.
    static let tags = """
        {"type":"object","required":["items"],"properties":{"items":{"type":"array","items":{"type":"object",\
        "required":["tag","accounts","score"],"properties":{"tag":{"type":"string"},\
        "accounts":{"type":"integer","minimum":1},"score":{"type":"number","minimum":0}}}}}}
        """
}
