import CommentsContract
import ImageAppPlugin
import MediaContract
import PluginSupport

/// The body of `POST /api/v1/posts/{id}/comments`, checked: `{"body": string, "parent_id"?: id|null}`.
struct NewCommentBody: Hashable, Sendable {
    var body: CommentRules.Body
    /// The comment replied to; `nil` for a top-level comment.
    var parentId: CommentID?

    /// Parses and checks a request body.
    ///
    /// - Throws: ``HTTPError`` 400 `invalid_json` for a body that is not a JSON object or a field of the wrong JSON
    ///   type; 422 `validation_failed` naming every field that breaks a rule, and unknown fields.
    init(body raw: [UInt8], rules: CommentRules) throws(HTTPError) {
        let object = try JSONObjectBody(raw, known: ["body", "parent_id"])
        var problems = object.unknownFieldProblems(of: "a comment")
        body = CommentRules.Body(text: "", handles: [])
        switch try object.optionalString("body").map(rules.body) {
        case nil: problems.check("body", "is required")
        case .failure(let problem)?: problems.check("body", problem.message)
        case .success(let checked)?: body = checked
        }
        parentId = nil
        if let text = try object.optionalString("parent_id") {
            // Only the canonical form the API writes: digits without a sign or leading zeros.
            if text.first != "0", text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let id = CommentID(text) {
                parentId = id
            } else {
                problems.check("parent_id", "must be a comment id")
            }
        }
        try problems.throwIfAny()
    }
}
