import ImageAppPlugin
import MediaContract
import PluginSupport

/// The form of `POST /api/v1/posts` in one step, checked: `images` (1–10 files), `alt` (text fields in the same
/// order, at most one per image; empty means none) and `caption` (at most one).
struct NewPostForm {
    var images: [MultipartPart]
    /// One per image: `nil` where none was given.
    var alts: [String?]
    var caption: PostRules.Caption

    /// The form fields clients write.
    static let fields: Set<String> = ["images", "alt", "caption"]

    /// - Throws: 422 `validation_failed` naming each field that breaks a rule, and unknown fields.
    init(_ request: Request) throws(HTTPError) {
        var problems = FieldProblems()
        for part in request.multipartParts where !Self.fields.contains(part.name) {
            problems.check(String(part.name.prefix(64)), "is not a field of a post (known: alt, caption, images)")
        }
        images = request.multipartParts(named: "images")
        if images.isEmpty {
            problems.check("images", "is required: 1 to \(MediaLimits.perPost) file parts named 'images'")
        } else if images.count > MediaLimits.perPost {
            problems.check("images", "must be at most \(MediaLimits.perPost) files")
        } else if images.contains(where: { $0.size == 0 }) {
            problems.check("images", "must not be empty files")
        }
        let altParts = request.multipartParts(named: "alt")
        if altParts.count > max(images.count, 1) { problems.check("alt", "must be given at most once per image") }
        var alts: [String?] = []
        for part in altParts {
            guard let text = try? part.text() else {
                problems.check("alt", "must be UTF-8 text")
                break
            }
            alts.append(text.isEmpty ? nil : text)
        }
        self.alts = alts + Array(repeating: nil, count: max(0, images.count - alts.count))
        let captions = request.multipartParts(named: "caption")
        caption = PostRules.Caption(text: "", tags: [], handles: [])
        if captions.count > 1 {
            problems.check("caption", "must be sent once")
        } else if let part = captions.first {
            if let text = try? part.text() {
                switch PostRules.caption(text) {
                case .success(let checked): caption = checked
                case .failure(let problem): problems.check("caption", problem.message)
                }
            } else {
                problems.check("caption", "must be UTF-8 text")
            }
        }
        try problems.throwIfAny()
    }
}
