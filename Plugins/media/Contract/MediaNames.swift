/// The commands `media` runs for other plugins (the `posts` plugin, mostly).
public enum MediaCommand {
    /// ``AttachMediaInput`` → ``MediaList``: attaches the owner's unattached media to a post, in the order given.
    /// Media already attached to that same post is accepted again (a retried post creation); anything else — unknown
    /// ids, another user's media, media attached to another post, duplicates, more than ``MediaLimits/perPost`` — is
    /// refused with 422 `invalid_media` and `details.media_ids`, and nothing is attached.
    public static let attach = "media.attach"
    /// ``AttachMediaInput`` → ``MediaList``: undoes ``attach`` for a post that was then not created: the owner's media
    /// on that post is unattached again (and deleted with other unattached media if no post takes it in time).
    /// `media_ids` is not read. Idempotent.
    public static let detach = "media.detach"
    /// ``PostRef`` → ``DeletedMedia``: deletes a post's media (rows now, blobs after the commit, through
    /// ``MediaEvent/deleted``). Idempotent.
    public static let deleteForPost = "media.delete_for_post"
    /// ``SetAltInput`` → ``MediaView``: changes the alt text of the owner's media; 404 `media_not_found` for media
    /// that does not exist or is someone else's, 422 for text over ``MediaLimits/altCharacters``.
    public static let setAlt = "media.set_alt"
    /// ``IngestMediaInput`` → ``MediaView``: makes media of an image file the caller holds (say, a form part the host
    /// spooled), exactly as `POST /api/v1/media` does, for the owner given. A service command (ABI 1.13): it runs on the
    /// dispatching thread without a database connection of its own while the image is processed; dispatch it from a
    /// blocking route before the caller's own command, not from inside one (whose connection would wait for the
    /// image). The file is only read: the caller keeps, and removes,
    /// it. Its refusals are the upload route's, codes and `details` included: 413 `payload_too_large` (over
    /// `max_bytes`), 415 `unsupported_media_type` (told by content), 422 `image_too_large` (from the header, before
    /// decoding), 422 `invalid_image` (truncated or corrupt), 503 `server_busy` (every processing slot taken; the
    /// `Retry-After` header of the route does not cross a dispatch), and 422 `validation_failed` for a `path` that is
    /// not an absolute path of a regular, non-empty file (`details.path`, `details.file`) or an `alt` breaking the rule
    /// (`details.alt`). The media is unattached until ``attach``.
    public static let ingest = "media.ingest"
}

/// The queries `media` answers.
public enum MediaQuery {
    /// ``MediaIDs`` → ``MediaList``: the media with those ids, in the order asked, unknown ids left out.
    public static let byIDs = "media.by_ids"
    /// ``PostIDs`` → ``PostMediaList``: the media of each post, in attachment order.
    public static let forPosts = "media.for_posts"
}

/// The events `media` raises.
public enum MediaEvent {
    /// ``DeletedMedia``: media rows were deleted (never attached within the time allowed, their post deleted, their
    /// owner deleted); `media` itself deletes the blobs when it handles the event.
    public static let deleted = "media.deleted"
}

/// Limits other plugins share.
public enum MediaLimits {
    /// The most media on one post.
    public static let perPost = 10
    /// The longest alt text, in Unicode scalars.
    public static let altCharacters = 1_500
    /// The most ids in one ``MediaQuery/byIDs`` or ``MediaQuery/forPosts``.
    public static let idsPerQuery = 200
}
