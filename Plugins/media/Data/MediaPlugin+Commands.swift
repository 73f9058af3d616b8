import AuthContract
import ImageAppPlugin
import MediaContract
import PluginSupport

extension MediaPlugin {
    /// The commands and queries: the only code that touches the `media` table.
    func registerCommands(_ registrar: PluginRegistrar) throws {
        try registrar.dataCommand("media.create", create)
        try registrar.dataCommand(MediaCommand.setAlt, setAlt)
        try registrar.dataCommand(MediaCommand.attach, attach)
        try registrar.dataCommand(MediaCommand.detach, detach)
        try registrar.dataCommand(MediaCommand.deleteForPost, deleteForPost)
        try registrar.dataCommand("media.delete_for_owner", deleteForOwner)
        try registrar.dataCommand("media.purge_unattached", purgeUnattached)
        try registrar.query(MediaQuery.byIDs, byIDs)
        try registrar.query(MediaQuery.forPosts, forPosts)
    }

    /// ``NewMedia`` → ``MediaView``: records processed and stored media.
    private func create(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(NewMedia.self)
        let rows = try command.db.execute(
            """
            INSERT INTO media (owner_id, large_key, small_key, original_key, width, height, alt, blurhash, source_type)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            RETURNING \(StoredMedia.columns)
            """,
            [
                .int(input.ownerId.value), .text(input.largeKey), .text(input.smallKey),
                input.originalKey.map(DatabaseValue.text) ?? .null, .int(Int64(input.width)), .int(Int64(input.height)),
                input.alt.map(DatabaseValue.text) ?? .null, .text(input.blurhash), .text(input.sourceType),
            ]
        )
        guard let media = rows.media.first else { throw HTTPError.internalError }
        return try .ok(media.view(command.host))
    }

    /// ``SetAltInput`` → ``MediaView``; 404 `media_not_found` unless the owner's.
    private func setAlt(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(SetAltInput.self)
        let alt = try MediaRules.checkedAlt(input.alt)
        let rows = try command.db.execute(
            "UPDATE media SET alt = $3 WHERE id = $1 AND owner_id = $2 RETURNING \(StoredMedia.columns)",
            [.int(input.mediaId.value), .int(input.ownerId.value), alt.map(DatabaseValue.text) ?? .null]
        )
        guard let media = rows.media.first else { throw Self.notFound }
        return try .ok(media.view(command.host))
    }

    /// ``AttachMediaInput`` → ``MediaList``. All or nothing; see ``MediaCommand/attach``.
    private func attach(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(AttachMediaInput.self)
        let ids = input.mediaIds
        guard (1...MediaLimits.perPost).contains(ids.count) else {
            throw Self.invalidMedia("must list 1 to \(MediaLimits.perPost) media ids")
        }
        guard Set(ids).count == ids.count else { throw Self.invalidMedia("must not list the same media twice") }
        let array = DatabaseValue.text(Self.arrayLiteral(ids))
        let rows = try command.db.execute(
            "SELECT \(StoredMedia.columns) FROM media WHERE id = ANY($1::bigint[]) FOR UPDATE",
            [array]
        ).media
        let usable = rows.filter { $0.ownerID == input.ownerId && ($0.postID == nil || $0.postID == input.postId) }
        guard usable.count == ids.count else {
            throw Self.invalidMedia("must be your own media, not attached to another post")
        }
        let attached = try command.db.execute(
            """
            UPDATE media SET post_id = $2, position = array_position($1::bigint[], id), attached_at = now()
            WHERE id = ANY($1::bigint[])
            RETURNING \(StoredMedia.columns), position
            """,
            [array, .int(input.postId.value)]
        )
        let ordered = attached.sorted { Int($0["position"] ?? "") ?? 0 < Int($1["position"] ?? "") ?? 0 }.compactMap(StoredMedia.init)
        return try .ok(MediaList(items: ordered.map { try $0.view(command.host) }))
    }

    /// ``AttachMediaInput`` → ``MediaList``: the media detached.
    private func detach(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(AttachMediaInput.self)
        let rows = try command.db.execute(
            """
            UPDATE media SET post_id = NULL, position = NULL, attached_at = NULL
            WHERE post_id = $1 AND owner_id = $2
            RETURNING \(StoredMedia.columns)
            """,
            [.int(input.postId.value), .int(input.ownerId.value)]
        ).media
        return try .ok(MediaList(items: try rows.map { try $0.view(command.host) }))
    }

    /// ``PostRef`` → ``DeletedMedia``; raises ``MediaEvent/deleted`` when something went.
    private func deleteForPost(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(PostRef.self)
        return try deleteAndAnnounce("DELETE FROM media WHERE post_id = $1", [.int(input.postId.value)], command)
    }

    /// `{"user_id"}` (from `user.deleted`) → ``DeletedMedia``: all of the user's media.
    private func deleteForOwner(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(UserRef.self)
        return try deleteAndAnnounce("DELETE FROM media WHERE owner_id = $1", [.int(input.userId.value)], command)
    }

    /// `{"older_than_seconds"}` → ``DeletedMedia``: up to 500 media never attached within that time, oldest first.
    private func purgeUnattached(_ command: CommandContext) throws -> CommandResult {
        let input = try command.decodePayload(PurgeInput.self)
        return try deleteAndAnnounce(
            """
            DELETE FROM media WHERE id IN (
                SELECT id FROM media WHERE post_id IS NULL AND created_at < now() - make_interval(secs => $1::double precision)
                ORDER BY created_at LIMIT 500 FOR UPDATE SKIP LOCKED)
            """,
            [.int(Int64(input.olderThanSeconds))],
            command
        )
    }

    /// Runs a `DELETE` on `media` (without `RETURNING`), and raises ``MediaEvent/deleted`` with what went, so that the
    /// blobs are deleted only once the rows' deletion has committed.
    private func deleteAndAnnounce(_ sql: String, _ parameters: [DatabaseValue], _ command: CommandContext) throws -> CommandResult {
        let gone = try command.db.execute("\(sql) RETURNING \(StoredMedia.columns)", parameters).media
        let deleted = DeletedMedia(mediaIds: gone.map(\.id), blobKeys: gone.flatMap(\.blobKeys))
        if !gone.isEmpty { try command.raise(MediaEvent.deleted, payload: deleted) }
        return try .ok(deleted)
    }

    /// ``MediaIDs`` → ``MediaList``, in the order asked.
    private func byIDs(_ query: CommandContext) throws -> CommandResult {
        let input = try query.decodePayload(MediaIDs.self)
        guard input.ids.count <= MediaLimits.idsPerQuery else {
            throw HTTPError.unprocessable(fields: ["ids": "must list at most \(MediaLimits.idsPerQuery) ids"])
        }
        guard !input.ids.isEmpty else { return try .ok(MediaList(items: [])) }
        let rows = try query.db.execute(
            "SELECT \(StoredMedia.columns) FROM media WHERE id = ANY($1::bigint[])",
            [.text(Self.arrayLiteral(input.ids))]
        ).media
        let byID = Dictionary(rows.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return try .ok(MediaList(items: input.ids.compactMap { byID[$0] }.map { try $0.view(query.host) }))
    }

    /// ``PostIDs`` → ``PostMediaList``.
    private func forPosts(_ query: CommandContext) throws -> CommandResult {
        let input = try query.decodePayload(PostIDs.self)
        guard input.postIds.count <= MediaLimits.idsPerQuery else {
            throw HTTPError.unprocessable(fields: ["post_ids": "must list at most \(MediaLimits.idsPerQuery) ids"])
        }
        guard !input.postIds.isEmpty else { return try .ok(PostMediaList(items: [])) }
        let rows = try query.db.execute(
            "SELECT \(StoredMedia.columns) FROM media WHERE post_id = ANY($1::bigint[]) ORDER BY post_id, position",
            [.text(Self.arrayLiteral(input.postIds))]
        ).media
        var byPost: [PostID: [MediaView]] = [:]
        for media in rows {
            if let post = media.postID { byPost[post, default: []].append(try media.view(query.host)) }
        }
        return try .ok(PostMediaList(items: input.postIds.compactMap { id in byPost[id].map { PostMedia(postId: id, media: $0) } }))
    }

    /// 404 for media that does not exist or is not the caller's (the same answer, so ids reveal nothing).
    static let notFound = HTTPError.notFound("No such media of yours.", code: "media_not_found")

    private static func invalidMedia(_ problem: String) -> HTTPError {
        HTTPError(
            status: 422,
            code: "invalid_media",
            message: "The media cannot be attached.",
            details: ["media_ids": problem]
        )
    }

    /// A PostgreSQL array literal of ids, `{1,2,3}`, sent as one text parameter (the ids are integers).
    private static func arrayLiteral(_ ids: [MediaID]) -> String {
        "{" + ids.map(\.description).joined(separator: ",") + "}"
    }
}

/// The payload of `media.create` (the plugin's own).
struct NewMedia: Codable, Sendable {
    var ownerId: UserID
    var largeKey: String
    var smallKey: String
    var originalKey: String?
    var width: Int
    var height: Int
    var alt: String?
    var blurhash: String
    var sourceType: String
}

/// The payload of `media.purge_unattached`.
struct PurgeInput: Codable, Sendable {
    var olderThanSeconds: Int
}
