import AuthContract
import ImageAppPlugin
import MediaContract
import PostsContract

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension PostsPlugin {
    /// The commands: the only code that writes the plugin's tables. Each raises its event in its own transaction.
    /// Creating a post and deleting an author's posts run SERIALIZABLE: a post created while its author's account
    /// goes then cannot commit unseen by the deletion (one of the two is retried and sees the other).
    func registerCommands(_ registrar: PluginRegistrar) throws {
        try registrar.dataCommand("posts.reserve_id", reserveID)
        try registrar.dataCommand("posts.create", serializable: true, create)
        try registrar.dataCommand("posts.update", update)
        try registrar.dataCommand("posts.delete", delete)
        try registrar.dataCommand("posts.delete_for_author", serializable: true, deleteForAuthor)
        try registrar.dataCommand("posts.hide_author", hideAuthor)
        try registrar.dataCommand("posts.show_author", showAuthor)
    }

    /// `{}` → `{"id"}`: a new post id, before the media is attached to it.
    private func reserveID(_ command: CommandContext) throws -> CommandResult {
        guard let id = try command.db.execute("SELECT ia_next_id()::text AS id").first?["id"] else { throw HTTPError.internalError }
        return try .ok(["id": id])
    }

    /// ``NewPost`` → ``StoredPost``; raises `post.created`. A retried creation (the same id) answers the post made the
    /// first time and raises nothing more. 404 `user_not_found` for an author deleted meanwhile.
    private func create(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(NewPost.self)
        let gone = try command.db.execute("SELECT 1 FROM posts_deleted_users WHERE user_id = $1", [.int(input.authorId.value)])
        guard gone.isEmpty else { throw HTTPError.notFound("The account no longer exists.", code: "user_not_found") }
        let inserted = try command.db.execute(
            """
            INSERT INTO posts (id, author_id, caption, tags, mentions, media_ids)
            VALUES ($1, $2, $3, ARRAY(SELECT jsonb_array_elements_text($4::jsonb)), $5::jsonb, $6::bigint[])
            ON CONFLICT (id) DO NOTHING
            RETURNING \(StoredPost.columns)
            """,
            [
                .int(input.id.value), .int(input.authorId.value), .text(input.caption), .text(try Self.json(input.tags)),
                .text(try Self.json(input.mentions.map(MentionRow.init))), .text(Self.arrayLiteral(input.mediaIds)),
            ]
        ).posts
        guard let post = inserted.first else {
            guard let existing = try command.db.execute("SELECT \(StoredPost.columns) FROM posts WHERE id = $1", [.int(input.id.value)]).posts.first,
                existing.authorId == input.authorId
            else { throw HTTPError.conflict("The post id is taken.") }
            return try .ok(existing)
        }
        try insertTags(post, command.db)
        try command.raise(PostsEvent.created, payload: post.event)
        return try .ok(post)
    }

    /// ``PostUpdate`` → ``StoredPost``; raises `post.updated`. 404 `post_not_found` unless the author's.
    private func update(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(PostUpdate.self)
        let rows: [StoredPost]
        if let caption = input.caption {
            rows = try command.db.execute(
                """
                UPDATE posts SET caption = $3, tags = ARRAY(SELECT jsonb_array_elements_text($4::jsonb)), mentions = $5::jsonb,
                    edited_at = now()
                WHERE id = $1 AND author_id = $2
                RETURNING \(StoredPost.columns)
                """,
                [
                    .int(input.id.value), .int(input.authorId.value), .text(caption.text), .text(try Self.json(caption.tags)),
                    .text(try Self.json(caption.mentions.map(MentionRow.init))),
                ]
            ).posts
        } else {
            rows = try command.db.execute(
                "UPDATE posts SET edited_at = now() WHERE id = $1 AND author_id = $2 RETURNING \(StoredPost.columns)",
                [.int(input.id.value), .int(input.authorId.value)]
            ).posts
        }
        guard let post = rows.first else { throw Self.postNotFound }
        if input.caption != nil {
            try command.db.execute("DELETE FROM post_tags WHERE post_id = $1", [.int(post.id.value)])
            try insertTags(post, command.db)
        }
        try command.raise(PostsEvent.updated, payload: post.event)
        return try .ok(post)
    }

    /// `{"id"}` → `{"deleted": StoredPost?}`; raises `post.deleted` when it was there. Idempotent.
    private func delete(_ command: CommandContext) throws -> CommandResult {
        struct Input: Decodable { var id: PostID }
        let input = try command.decodePayload(Input.self)
        let gone = try command.db.execute("DELETE FROM posts WHERE id = $1 RETURNING \(StoredPost.columns)", [.int(input.id.value)]).posts
        for post in gone { try command.raise(PostsEvent.deleted, payload: post.event) }
        return try .ok(DeletedPosts(posts: gone))
    }

    /// `{"user_id"}` → `{"posts": [...]}`: deletes up to 200 of a deleted user's posts (call again until none are
    /// left) and remembers the user, so that a post being created meanwhile is refused.
    private func deleteForAuthor(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(UserRef.self)
        try command.db.execute(
            "INSERT INTO posts_deleted_users (user_id) VALUES ($1) ON CONFLICT DO NOTHING",
            [.int(input.userId.value)]
        )
        let gone = try command.db.execute(
            """
            DELETE FROM posts WHERE id IN (SELECT id FROM posts WHERE author_id = $1 ORDER BY id LIMIT 200 FOR UPDATE SKIP LOCKED)
            RETURNING \(StoredPost.columns)
            """,
            [.int(input.userId.value)]
        ).posts
        for post in gone { try command.raise(PostsEvent.deleted, payload: post.event) }
        return try .ok(DeletedPosts(posts: gone))
    }

    /// `{"user_id"}` (from `user.banned`): the user's posts are hidden from every list.
    private func hideAuthor(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(UserRef.self)
        try command.db.execute("INSERT INTO posts_hidden_authors (user_id) VALUES ($1) ON CONFLICT DO NOTHING", [.int(input.userId.value)])
        return .none
    }

    /// `{"user_id"}` (from `user.unbanned`): the user's posts show again.
    private func showAuthor(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(UserRef.self)
        try command.db.execute("DELETE FROM posts_hidden_authors WHERE user_id = $1", [.int(input.userId.value)])
        return .none
    }

    private func insertTags(_ post: StoredPost, _ db: Database) throws {
        guard !post.tags.isEmpty else { return }
        try db.execute(
            "INSERT INTO post_tags (tag, post_id) SELECT jsonb_array_elements_text($1::jsonb), $2 ON CONFLICT DO NOTHING",
            [.text(try Self.json(post.tags)), .int(post.id.value)]
        )
    }

    /// 404 for a post that does not exist, is hidden, or (for edits) is not the caller's to change.
    static let postNotFound = HTTPError.notFound("There is no such post.", code: "post_not_found")

    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    /// A PostgreSQL array literal of ids, `{1,2,3}` (the ids are integers).
    static func arrayLiteral(_ ids: [MediaID]) -> String {
        "{" + ids.map(\.description).joined(separator: ",") + "}"
    }
}

/// The payload of `posts.create`.
struct NewPost: Codable, Sendable {
    var id: PostID
    var authorId: UserID
    var caption: String
    var tags: [String]
    var mentions: [Mention]
    var mediaIds: [MediaID]
}

/// The payload of `posts.update`: a new caption (with its tags and mentions) or `nil` for an alt-only edit.
struct PostUpdate: Codable, Sendable {
    struct Caption: Codable, Sendable {
        var text: String
        var tags: [String]
        var mentions: [Mention]
    }

    var id: PostID
    var authorId: UserID
    var caption: Caption?
}

/// The result of `posts.delete` and `posts.delete_for_author`.
struct DeletedPosts: Codable, Sendable {
    var posts: [StoredPost]
}
