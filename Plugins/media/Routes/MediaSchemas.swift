import MediaContract
import PluginSupport

/// JSON Schemas (as JSON text) of the routes' bodies, for the OpenAPI document.
enum MediaSchemas {
    /// The shared media shape.
    static let media = """
        {"type":"object","required":["id","type","url","preview_url","width","height","alt","blurhash"],\
        "properties":{"id":{"type":"string","description":"A 64-bit integer as a string."},\
        "type":{"type":"string","enum":["image"]},\
        "url":{"type":"string","description":"The large variant (1080 px on the long side, never upscaled): absolute, \
        or a path on this server."},\
        "preview_url":{"type":"string","description":"The small variant (640 px on the long side)."},\
        "width":{"type":"integer","minimum":1,"description":"Of the large variant, after orientation."},\
        "height":{"type":"integer","minimum":1},\
        "alt":{"type":["string","null"]},\
        "blurhash":{"type":"string","minLength":6,"description":"4×3 components."}}}
        """

    /// What ``MediaRules/altRule`` asks, in words.
    private static let alt = """
        Alt text: at most \(MediaLimits.altCharacters) characters; line breaks and tabs allowed, no other control or \
        invisible formatting characters and no more than 4 combining marks in a row. Trimmed; blank or null removes it.
        """

    /// The multipart form of `POST /api/v1/media`.
    static let upload = """
        {"type":"object","required":["file"],"properties":{"file":{"type":"string","format":"binary",\
        "contentMediaType":"image/*","description":"A JPEG, PNG, WebP or GIF (HEIC and AVIF too), told by its content."},\
        "alt":\(formAlt)}}
        """

    /// `alt` as a form field: always text on the wire (a form cannot send a boolean or a number, only its spelling),
    /// so the schema states no JSON type, only the text's rule.
    private static let formAlt = """
        {"maxLength":\(MediaRules.altRule.maxScalars),"pattern":"\(MediaRules.altRule.pattern)","description":"\(alt)"}
        """

    /// The body of `PATCH /api/v1/media/{id}`.
    static let update = """
        {"type":"object","required":["alt"],"additionalProperties":false,"properties":{\
        "alt":\(MediaRules.altRule.schema(description: alt))}}
        """
}
