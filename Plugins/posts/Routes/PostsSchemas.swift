import MediaContract
import PluginSupport
import PostsContract
import ProfilesContract

/// JSON Schemas (as JSON text) of the routes' bodies, for the OpenAPI document.
enum PostsSchemas {
    private static let id = PostSchemas.id

    /// The shared post shape.
    static let post = PostSchemas.post

    /// A page of posts.
    static let page = PostSchemas.page

    private static let caption = PostRules.captionRule.schema(
        description: "At most 2,200 characters; line breaks allowed. Up to 30 hashtags and 20 mentions."
    )

    /// The JSON body of `POST /api/v1/posts`.
    static let newPost = """
        {"type":"object","required":["media_ids"],"additionalProperties":false,"properties":{"caption":\(caption),\
        "media_ids":{"type":"array","minItems":1,"maxItems":\(MediaLimits.perPost),"uniqueItems":true,"items":\(id)}}}
        """

    /// The form of `POST /api/v1/posts` in one step. Form fields are text on the wire, so `alt` and `caption` state
    /// no JSON type, only the text's rule.
    static let newPostForm = """
        {"type":"object","required":["images"],"properties":{"images":{"type":"array","minItems":1,\
        "maxItems":\(MediaLimits.perPost),"items":{"type":"string","format":"binary","contentMediaType":"image/*"},\
        "description":"JPEG, PNG, WebP or GIF (HEIC and AVIF too) files, told by their content."},\
        "alt":{"type":"array","maxItems":\(MediaLimits.perPost),"items":{"maxLength":\(MediaLimits.altCharacters)},\
        "description":"Alt texts in the order of the images; empty for none."},\
        "caption":{"maxLength":\(PostsLimits.captionCharacters),"pattern":"\(PostRules.captionRule.pattern)"}}}
        """

    /// The body of `PATCH /api/v1/posts/{id}`.
    static let edit = """
        {"type":"object","additionalProperties":false,"properties":{"caption":\(caption),\
        "alt":{"type":"object","maxProperties":\(MediaLimits.perPost),"propertyNames":{"pattern":"^[1-9][0-9]{0,18}$"},\
        "additionalProperties":{"type":["string","null"],"maxLength":\(MediaLimits.altCharacters)}}}}
        """
}
