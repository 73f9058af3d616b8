import ProfilesContract

/// JSON Schemas (as JSON text) of the routes' bodies, for the OpenAPI document.
enum NotificationsSchemas {
    private static let id = UserSummarySchemas.id
    private static let types = #"["like","comment","reply","mention","follow"]"#

    /// One notification (PRODUCT.md, "Notification").
    static let notification = """
        {"type":"object","required":["id","type","actors","actor_count","post","comment_id","created_at","read"],\
        "properties":{"id":\(id),"type":{"type":"string","enum":\(types)},\
        "actors":{"type":"array","maxItems":3,"items":\(UserSummarySchemas.summary),"description":"Newest first."},\
        "actor_count":{"type":"integer","minimum":1},\
        "post":{"type":["object","null"],"required":["id","preview_url"],"properties":{"id":\(id),\
        "preview_url":{"type":["string","null"]}}},\
        "comment_id":{"type":["string","null"],"pattern":"^[1-9][0-9]{0,18}$"},\
        "created_at":{"type":"string","format":"date-time","description":"The last activity."},"read":{"type":"boolean"}}}
        """

    /// A page of notifications.
    static let page = """
        {"type":"object","required":["items","next_cursor"],"properties":{"items":{"type":"array","items":\(notification)},\
        "next_cursor":{"type":["string","null"]}}}
        """

    /// `{"count"}`.
    static let count = """
        {"type":"object","required":["count"],"properties":{"count":{"type":"integer","minimum":0}}}
        """

    /// The body of `POST /api/v1/notifications/read`: exactly one of three forms.
    static let readRequest = """
        {"oneOf":[\
        {"type":"object","required":["ids"],"additionalProperties":false,"properties":{"ids":{"type":"array",\
        "maxItems":100,"items":\(id)}}},\
        {"type":"object","required":["up_to"],"additionalProperties":false,"properties":{"up_to":\(id)}},\
        {"type":"object","required":["all"],"additionalProperties":false,"properties":{"all":{"const":true}}}]}
        """

    /// Every type's setting.
    static let settings = """
        {"type":"object","required":\(types),"additionalProperties":false,"properties":{"like":{"type":"boolean"},\
        "comment":{"type":"boolean"},"reply":{"type":"boolean"},"mention":{"type":"boolean"},"follow":{"type":"boolean"}}}
        """

    /// The body of `PATCH /api/v1/notifications/settings`: any of the types.
    static let settingsPatch = """
        {"type":"object","additionalProperties":false,"properties":{"like":{"type":"boolean"},\
        "comment":{"type":"boolean"},"reply":{"type":"boolean"},"mention":{"type":"boolean"},"follow":{"type":"boolean"}}}
        """
}
