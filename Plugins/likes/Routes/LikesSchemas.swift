/// JSON Schemas (as JSON text) of the routes' bodies, for the OpenAPI document.
enum LikesSchemas {
    /// `{"liked", "like_count"}`.
    static let state = """
        {"type":"object","required":["liked","like_count"],"properties":{"liked":{"type":"boolean"},\
        "like_count":{"type":"integer","minimum":0}}}
        """
}
