import PostsContract

/// JSON Schemas (as JSON text) of the routes' bodies, for the OpenAPI document.
enum TrendingSchemas {
    /// A page of trending posts: the shared post shape.
    static let posts = PostSchemas.page

    /// The trending hashtags.
    static let tags = """
        {"type":"object","required":["items"],"properties":{"items":{"type":"array","items":{"type":"object",\
        "required":["tag","accounts","score"],"properties":{"tag":{"type":"string"},\
        "accounts":{"type":"integer","minimum":1},"score":{"type":"number","minimum":0}}}}}}
        """
}
