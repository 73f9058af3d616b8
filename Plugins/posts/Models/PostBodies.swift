import ImageAppPlugin
import MediaContract
import PluginSupport
import PostsContract

/// The body of `POST /api/v1/posts` as JSON, checked: `{"caption"?: string|null, "media_ids": [id, ...]}`.
struct NewPostBody: Hashable, Sendable {
    var caption: PostRules.Caption
    /// 1–10 distinct ids, in display order.
    var mediaIds: [MediaID]

    /// Parses and checks a request body.
    ///
    /// - Throws: ``HTTPError`` 400 `invalid_json` for a body that is not a JSON object or a field of the wrong JSON
    ///   type; 422 `validation_failed` naming every field that breaks a rule, and unknown fields.
    init(body: [UInt8]) throws(HTTPError) {
        let object = try JSONObjectBody(body, known: ["caption", "media_ids"])
        var problems = object.unknownFieldProblems(of: "a post")
        caption = PostRules.Caption(text: "", tags: [], handles: [])
        switch PostRules.caption(try object.optionalString("caption")) {
        case .success(let checked): caption = checked
        case .failure(let problem): problems.check("caption", problem.message)
        }
        mediaIds = []
        switch try object.ids("media_ids", maxCount: MediaLimits.perPost) {
        case nil: problems.check("media_ids", "is required: 1 to \(MediaLimits.perPost) ids of your uploaded media")
        case .some(.failure(let problem)): problems.check("media_ids", problem.message)
        case .some(.success(let values)):
            let ids = values.map(MediaID.init)
            if ids.isEmpty {
                problems.check("media_ids", "must list 1 to \(MediaLimits.perPost) media ids")
            } else if Set(ids).count != ids.count {
                problems.check("media_ids", "must not list the same media twice")
            } else {
                mediaIds = ids
            }
        }
        try problems.throwIfAny()
    }
}

/// The body of `PATCH /api/v1/posts/{id}`, checked: `{"caption"?: string|null, "alt"?: {"<media id>": string|null}}`.
struct PostEdit: Hashable, Sendable {
    /// `nil`: leave the caption.
    var caption: PostRules.Caption?
    /// New alt texts by media id (`nil` removes one).
    var alt: [MediaID: String?]

    /// Whether the body asked for no change (`{}`).
    var isEmpty: Bool { caption == nil && alt.isEmpty }

    /// Parses and checks a request body; errors as ``NewPostBody/init(body:)``.
    init(body: [UInt8]) throws(HTTPError) {
        let object = try JSONObjectBody(body, known: ["caption", "alt"])
        var problems = object.unknownFieldProblems(of: "a post edit")
        caption = nil
        if object.has("caption") {
            switch PostRules.caption(try object.optionalString("caption")) {
            case .success(let checked): caption = checked
            case .failure(let problem): problems.check("caption", problem.message)
            }
        }
        alt = [:]
        if let texts = try object.stringMap("alt") {
            guard texts.count <= MediaLimits.perPost else {
                throw HTTPError.unprocessable(fields: ["alt": "must name at most \(MediaLimits.perPost) media"])
            }
            for (key, text) in texts {
                guard let id = MediaID(key) else {
                    problems.check("alt", "must be keyed by media ids, not '\(key.prefix(40))'")
                    continue
                }
                alt[id] = text
            }
        }
        try problems.throwIfAny()
    }
}
