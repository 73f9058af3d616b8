import ProfilesContract

/// JSON Schemas (as JSON text) of the routes' bodies, for the OpenAPI document.
enum FollowsSchemas {
    /// A page of people: user summaries, each with the signed-in viewer's `relationship` (absent for anonymous
    /// viewers and on the viewer's own entry).
    static let people = """
        {"type":"object","required":["items","next_cursor"],"properties":{"items":{"type":"array","items":{"allOf":[\
        \(UserSummarySchemas.summary),{"type":"object","properties":{"relationship":{"type":"object",\
        "required":["following","followed_by"],"properties":{"following":{"type":"boolean"},\
        "followed_by":{"type":"boolean"}}}}}]}},"next_cursor":{"type":["string","null"]}}}
        """

    /// `{"following", "followers_count"}`.
    static let state = """
        {"type":"object","required":["following","followers_count"],"properties":{"following":{"type":"boolean"},\
        "followers_count":{"type":"integer","minimum":0}}}
        """
}
