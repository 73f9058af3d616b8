/// JSON Schemas (as JSON text) of the routes' bodies, for the OpenAPI document.
enum FollowsSchemas {
    /// `{"following", "followers_count"}`.
    static let state = """
        {"type":"object","required":["following","followers_count"],"properties":{"following":{"type":"boolean"},\
        "followers_count":{"type":"integer","minimum":0}}}
        """
}
