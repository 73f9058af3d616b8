/// The events `likes` raises, through the outbox.
public enum LikesEvent {
    /// ``LikeEvent``: someone liked a post (not raised again for a repeated `PUT`).
    public static let created = "like.created"
    /// ``LikeEvent``: someone took a like back.
    public static let deleted = "like.deleted"
}

/// The queries `likes` answers (the names `posts` asks by default).
public enum LikesQuery {
    /// `{"post_ids"}` → `{"<post id>": {"like_count": n}}`: exact counts, from Redis (rebuilt from PostgreSQL when
    /// Redis lost them). Listed in posts' `count_queries`.
    public static let postCounts = "likes.post_counts"
    /// `{"user_id", "post_ids"}` → `{"post_ids"}`: those the user likes. Posts' `liked_query`.
    public static let likedPosts = "likes.liked_posts"
}
