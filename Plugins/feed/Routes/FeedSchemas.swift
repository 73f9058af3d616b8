import PostsContract

/// JSON Schemas (as JSON text) of the routes' bodies, for the OpenAPI document.
enum FeedSchemas {
    /// A page of posts in the shared shape.
    static let page = PostSchemas.page
}
