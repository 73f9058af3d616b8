import AuthContract
import ImageAppPlugin
import MediaContract

/// A row of `media` as the commands read it.
struct StoredMedia: Sendable {
    /// The columns every read selects, in this order.
    static let columns = "id, owner_id, post_id, large_key, small_key, original_key, width, height, alt, blurhash"

    var id: MediaID
    var ownerID: UserID
    var postID: PostID?
    var largeKey: String
    var smallKey: String
    var originalKey: String?
    var width: Int
    var height: Int
    var alt: String?
    var blurhash: String

    /// Reads a row selected with ``columns``; `nil` for a row that is not one (never, with our SQL).
    init?(_ row: Rows.Row) {
        guard let id = row["id"].flatMap(MediaID.init), let owner = row["owner_id"].flatMap(UserID.init),
            let largeKey = row["large_key"], let smallKey = row["small_key"], let width = row["width"].flatMap({ Int($0) }),
            let height = row["height"].flatMap({ Int($0) }), let blurhash = row["blurhash"]
        else { return nil }
        self.id = id
        self.ownerID = owner
        self.postID = row["post_id"].flatMap(PostID.init)
        self.largeKey = largeKey
        self.smallKey = smallKey
        self.originalKey = row["original_key"]
        self.width = width
        self.height = height
        self.alt = row["alt"]
        self.blurhash = blurhash
    }

    /// Every blob of this media.
    var blobKeys: [String] { [largeKey, smallKey] + (originalKey.map { [$0] } ?? []) }

    /// The shared shape, with URLs from the blob storage.
    func view(_ host: PluginHost) throws -> MediaView {
        MediaView(
            id: id,
            url: try host.blobURL(largeKey),
            previewUrl: try host.blobURL(smallKey),
            width: width,
            height: height,
            alt: alt,
            blurhash: blurhash
        )
    }
}

extension Rows {
    /// The rows as ``StoredMedia``.
    var media: [StoredMedia] { compactMap(StoredMedia.init) }
}
