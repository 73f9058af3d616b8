/// What Pillow reads in an image (``ImageFixtures/describe(_:)``).
public struct ImageDescription: Decodable, Sendable {
    /// Pillow's format name: `JPEG`, `PNG`, `WEBP`, `GIF`.
    public var format: String
    public var width: Int
    public var height: Int
    public var frames: Int
    /// Whether any EXIF is left; GPS fields; XMP; an ICC profile.
    public var exif: Bool
    public var gps: Bool
    public var xmp: Bool
    public var icc: Bool
    /// The mean RGB colour of a small square near each corner, by name: `top_left`, `top_right`, `bottom_left`,
    /// `bottom_right`.
    public var corners: [String: [Int]]

    /// Pillow could not read the image.
    public struct Unreadable: Error, CustomStringConvertible {
        public var output: String
        public var description: String { "Pillow cannot read the image: \(output)" }
    }
}
