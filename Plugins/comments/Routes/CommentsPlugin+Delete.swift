import CommentsContract
import ImageAppPlugin
import MediaContract

extension CommentsPlugin {
    /// `DELETE /api/v1/comments/{id}`.
    func registerDeleteRoute(_ registrar: PluginRegistrar) throws {
        try registrar.route(
            .delete,
            "/api/v1/comments/{id}",
            flags: .requireUser,
            summary: "Deletes a comment",
            description: "The comment's author, the post's author or an admin deletes it (403 for anyone else). A comment "
                + "with replies stays as a placeholder (`deleted`: true, no body, no author) until its last reply goes; "
                + "one without is removed. Answers 204; 404 `comment_not_found` for an unknown or already deleted "
                + "comment.",
            tag: "comments",
            successStatus: 204,
            handler: delete
        )
    }

    private func delete(_ request: Request) throws -> Response {
        let caller = try caller(request)
        guard let id = request.parameter("id").flatMap(CommentID.init) else { throw Self.commentNotFound }
        let deleted = try host.dispatchCommand(
            "comments.delete",
            payload: DeleteComment(id: id, callerId: caller, isAdmin: request.principal?.isAdmin == true),
            as: DeletedComments.self
        )
        postsChanged(deleted.postIds, request)
        return Response(status: 204)
    }
}
