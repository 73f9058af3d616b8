public import AuthContract

/// A media item's or a post's ID: a positive 64-bit integer, written in JSON as a string (docs/API.md, "IDs");
/// decoding also takes a number.
public struct MediaID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let value: Int64

    public init(_ value: Int64) {
        self.value = value
    }

    /// The ID in decimal `text`; `nil` for anything else or a value that is not positive.
    public init?(_ text: some StringProtocol) {
        guard let value = Int64(text), value > 0 else { return nil }
        self.value = value
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let value = (try? container.decode(String.self)).flatMap { Int64($0) } ?? (try? container.decode(Int64.self))
        guard let value, value > 0 else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "an ID must be a positive 64-bit integer")
        }
        self.value = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(value))
    }

    public static func < (lhs: MediaID, rhs: MediaID) -> Bool { lhs.value < rhs.value }

    public var description: String { String(value) }
}

/// A post's ID (the `posts` plugin owns posts; `media` only records which post its media belongs to).
public typealias PostID = MediaID

/// The shared media shape (PRODUCT.md, "Resource shapes"): what the API answers and ``MediaQuery/byIDs`` returns.
public struct MediaView: Codable, Hashable, Sendable {
    public var id: MediaID
    /// Always `image`.
    public var type: String
    /// The large variant (1080 px on the long side, or less when the upload was smaller).
    public var url: String
    /// The small variant (640 px).
    public var previewUrl: String
    /// Of the large variant, after orientation.
    public var width: Int
    public var height: Int
    /// `nil` when none was given.
    public var alt: String?
    /// 4×3 components.
    public var blurhash: String

    public init(id: MediaID, url: String, previewUrl: String, width: Int, height: Int, alt: String?, blurhash: String) {
        self.id = id
        self.type = "image"
        self.url = url
        self.previewUrl = previewUrl
        self.width = width
        self.height = height
        self.alt = alt
        self.blurhash = blurhash
    }

    // Written out so that a missing alt is `null` rather than a missing key.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(type, forKey: .type)
        try container.encode(url, forKey: .url)
        try container.encode(previewUrl, forKey: .previewUrl)
        try container.encode(width, forKey: .width)
        try container.encode(height, forKey: .height)
        try container.encode(alt, forKey: .alt)
        try container.encode(blurhash, forKey: .blurhash)
    }

    private enum CodingKeys: String, CodingKey {
        case id, type, url, previewUrl, width, height, alt, blurhash
    }
}

/// The payload of ``MediaCommand/attach``.
public struct AttachMediaInput: Codable, Hashable, Sendable {
    public var ownerId: UserID
    public var postId: PostID
    /// 1–``MediaLimits/perPost`` ids, in display order.
    public var mediaIds: [MediaID]

    public init(ownerId: UserID, postId: PostID, mediaIds: [MediaID]) {
        self.ownerId = ownerId
        self.postId = postId
        self.mediaIds = mediaIds
    }
}

/// `{"items": [media]}`.
public struct MediaList: Codable, Hashable, Sendable {
    public var items: [MediaView]

    public init(items: [MediaView]) {
        self.items = items
    }
}

/// The payload of ``MediaQuery/byIDs``.
public struct MediaIDs: Codable, Hashable, Sendable {
    public var ids: [MediaID]

    public init(ids: [MediaID]) {
        self.ids = ids
    }
}

/// The payload of ``MediaQuery/forPosts``.
public struct PostIDs: Codable, Hashable, Sendable {
    public var postIds: [PostID]

    public init(postIds: [PostID]) {
        self.postIds = postIds
    }
}

/// One post's media.
public struct PostMedia: Codable, Hashable, Sendable {
    public var postId: PostID
    public var media: [MediaView]

    public init(postId: PostID, media: [MediaView]) {
        self.postId = postId
        self.media = media
    }
}

/// The result of ``MediaQuery/forPosts``: one entry per post asked about that has media, in the order asked.
public struct PostMediaList: Codable, Hashable, Sendable {
    public var items: [PostMedia]

    public init(items: [PostMedia]) {
        self.items = items
    }
}

/// The payload of ``MediaCommand/deleteForPost``.
public struct PostRef: Codable, Hashable, Sendable {
    public var postId: PostID

    public init(postId: PostID) {
        self.postId = postId
    }
}

/// The payload of ``MediaCommand/setAlt``.
public struct SetAltInput: Codable, Hashable, Sendable {
    public var ownerId: UserID
    public var mediaId: MediaID
    /// `nil` or blank removes it.
    public var alt: String?

    public init(ownerId: UserID, mediaId: MediaID, alt: String?) {
        self.ownerId = ownerId
        self.mediaId = mediaId
        self.alt = alt
    }
}

/// The payload of ``MediaCommand/ingest``.
public struct IngestMediaInput: Codable, Hashable, Sendable {
    /// Whose media it becomes (the caller has checked who is asking).
    public var ownerId: UserID
    /// An absolute path of a regular file with the image's bytes; read, never moved or deleted.
    public var path: String
    /// At most ``MediaLimits/altCharacters``; `nil` or blank for none.
    public var alt: String?

    public init(ownerId: UserID, path: String, alt: String?) {
        self.ownerId = ownerId
        self.path = path
        self.alt = alt
    }
}

/// The payload of ``MediaEvent/deleted`` and the result of ``MediaCommand/deleteForPost``.
public struct DeletedMedia: Codable, Hashable, Sendable {
    public var mediaIds: [MediaID]
    /// Every blob of those media (variants, and originals when kept).
    public var blobKeys: [String]

    public init(mediaIds: [MediaID], blobKeys: [String]) {
        self.mediaIds = mediaIds
        self.blobKeys = blobKeys
    }
}
