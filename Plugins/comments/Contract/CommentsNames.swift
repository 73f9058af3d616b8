public import MediaContract

/// A comment's ID: a positive 64-bit integer, written in JSON as a string (docs/API.md, "IDs"). The same wrapper as
/// ``PostID``: every ID of the API is one.
public typealias CommentID = MediaID

/// The events `comments` raises, through the outbox (delivered if and only if the change committed).
public enum CommentsEvent {
    /// ``CommentCreated``: a comment or a reply was written (for notifications: the post's author, the parent's author,
    /// the people mentioned).
    public static let created = "comment.created"
    /// ``CommentDeleted``: a comment was removed or became a placeholder, by a person (its author, the post's author,
    /// an admin) or with its author's account. Comments that go with their post raise nothing: `post.deleted` says it.
    public static let deleted = "comment.deleted"
}

/// The queries `comments` answers for other plugins.
public enum CommentsQuery {
    /// `PostIDs` → `{"<post id>": {"comment_count": n}}` for every post asked about: the comments shown (not
    /// placeholders of deleted ones, not those hidden with a banned author). `posts` lists it in its `count_queries`;
    /// `comments` invalidates the post's cache tag whenever the count changes. At most ``CommentsLimits/idsPerQuery``.
    public static let postCounts = "comments.post_counts"
}

/// Limits other plugins share.
public enum CommentsLimits {
    /// The longest comment by default, in Unicode scalars (the `max_body_characters` setting).
    public static let bodyCharacters = 1_000
    /// The most distinct mentions in a comment by default (the `max_mentions` setting).
    public static let mentionsPerComment = 20
    /// The most ids in one ``CommentsQuery/postCounts``.
    public static let idsPerQuery = 100
}
