import CVips

/// libvips, through the `CVips` shim: header inspection without decoding, and the upload pipeline (one decode with
/// shrink-on-load, orientation applied, 8-bit sRGB, two variants — scaled, or square crops — with every metadata field
/// but the ICC profile removed, and small pixels for a ``Blurhash``).
///
/// libvips is initialised once per process by the first ``init(threads:cacheMaxOperations:cacheMaxBytes:)`` or
/// ``joining()`` and never shut down; its bounds are process-wide, set by the latest `init` (the plugin that owns
/// them, media) and never by ``joining()`` once set. Every method may be called from any thread, but blocks it: call
/// them from worker threads (``ProcessingPool``), never an event loop.
public struct ImagePipeline: Sendable {
    /// Initialises libvips (once) and bounds it: `threads` per pipeline, and its operation cache.
    ///
    /// - Throws: ``ImageError`` when libvips cannot start.
    public init(threads: Int = 1, cacheMaxOperations: Int = 0, cacheMaxBytes: Int = 0) throws(ImageError) {
        var error = [CChar](repeating: 0, count: 512)
        let status = ia_vips_init(Int32(clamping: threads), Int32(clamping: cacheMaxOperations), max(0, cacheMaxBytes), &error, error.count)
        guard status == Int32(IA_VIPS_OK) else { throw ImageError(.failed, Self.text(error)) }
    }

    /// libvips for a plugin without libvips settings of its own: initialised if no plugin has yet (one thread per
    /// image, no cache), otherwise used with the bounds already set, whichever plugin loads first.
    ///
    /// - Throws: ``ImageError`` when libvips cannot start.
    public static func joining() throws(ImageError) -> ImagePipeline {
        var error = [CChar](repeating: 0, count: 512)
        guard ia_vips_join(&error, error.count) == Int32(IA_VIPS_OK) else { throw ImageError(.failed, text(error)) }
        return ImagePipeline(started: ())
    }

    /// For ``joining()``, which has started libvips itself.
    private init(started: Void) {}

    /// What `bytes`' header says, without decoding pixels.
    ///
    /// - Throws: ``ImageError`` `.unsupported` (not a JPEG, PNG, WebP, GIF or HEIF libvips reads) or `.corrupt`.
    public func header(of bytes: UnsafeRawBufferPointer) throws(ImageError) -> ImageHeader {
        var header = ia_vips_header()
        var error = [CChar](repeating: 0, count: 512)
        let status = ia_vips_read_header(bytes.baseAddress, bytes.count, &header, &error, error.count)
        guard status == Int32(IA_VIPS_OK) else { throw ImageError(ImageError.Kind(status), Self.text(error)) }
        return ImageHeader(header)
    }

    /// The header of `bytes`; see ``header(of:)-(UnsafeRawBufferPointer)``.
    public func header(of bytes: [UInt8]) throws(ImageError) -> ImageHeader {
        let result = bytes.withUnsafeBytes { buffer in Result { () throws(ImageError) in try header(of: buffer) } }
        return try result.get()
    }

    /// Decodes `bytes` once and makes the variants. Check ``header(of:)-(UnsafeRawBufferPointer)`` first: this
    /// allocates the pixels of the (shrunk-on-load) image.
    ///
    /// - Throws: ``ImageError`` `.corrupt` for a truncated or corrupt file, `.failed` for anything else.
    public func process(_ bytes: UnsafeRawBufferPointer, options: ProcessingOptions) throws(ImageError) -> ProcessedImage {
        var settings = ia_vips_options(
            large_size: Int32(options.largeSize),
            small_size: Int32(options.smallSize),
            pixels_size: Int32(options.pixelsSize),
            format: options.format == .jpeg ? Int32(IA_VIPS_JPEG) : Int32(IA_VIPS_WEBP),
            quality: Int32(options.quality),
            webp_effort: Int32(options.webpEffort),
            to_srgb: options.convertToSRGB ? 1 : 0,
            crop_square: options.cropSquare ? 1 : 0
        )
        var output = ia_vips_output()
        defer { ia_vips_output_free(&output) }
        var error = [CChar](repeating: 0, count: 512)
        let status = ia_vips_process(bytes.baseAddress, bytes.count, &settings, &output, &error, error.count)
        guard status == Int32(IA_VIPS_OK) else { throw ImageError(ImageError.Kind(status), Self.text(error)) }
        let pixels = UnsafeBufferPointer(start: output.pixels, count: Int(output.pixels_width) * Int(output.pixels_height) * 3)
        return ProcessedImage(
            large: Array(UnsafeRawBufferPointer(start: output.large, count: output.large_size)),
            largeWidth: Int(output.large_width),
            largeHeight: Int(output.large_height),
            small: Array(UnsafeRawBufferPointer(start: output.small, count: output.small_size)),
            smallWidth: Int(output.small_width),
            smallHeight: Int(output.small_height),
            blurhash: Blurhash.encode(pixels: pixels, width: Int(output.pixels_width), height: Int(output.pixels_height))
        )
    }

    /// Frees libvips' buffers of the calling thread: call it as a thread that used the pipeline ends.
    public static func threadEnding() {
        ia_vips_thread_shutdown()
    }

    private static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// What an image's header says.
public struct ImageHeader: Hashable, Sendable {
    /// Width and height as stored (before orientation), of one frame.
    public var width: Int
    public var height: Int
    /// Frames or images in the file (1 for a still image).
    public var pages: Int
    /// EXIF orientation, 1–8.
    public var orientation: Int
    public var bands: Int
    public var hasICC: Bool
    public var iccBytes: Int
    public var hasEXIF: Bool
    /// Whether any EXIF GPS field is present.
    public var hasGPS: Bool
    public var hasXMP: Bool
    public var hasIPTC: Bool
    /// libvips' loader, e.g. `VipsForeignLoadJpegBuffer`.
    public var loader: String

    init(_ header: ia_vips_header) {
        width = Int(header.width)
        height = Int(header.height)
        pages = Int(header.pages)
        orientation = Int(header.orientation)
        bands = Int(header.bands)
        hasICC = header.has_icc != 0
        iccBytes = Int(header.icc_bytes)
        hasEXIF = header.has_exif != 0
        hasGPS = header.has_gps != 0
        hasXMP = header.has_xmp != 0
        hasIPTC = header.has_iptc != 0
        loader = withUnsafeBytes(of: header.loader) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// Width × height.
    public var pixels: Int { width * height }

    /// The MIME type the loader reads (`image/jpeg`, `image/png`, `image/webp`, `image/gif`, `image/heif`).
    public var loaderType: String? {
        for (prefix, type) in [
            ("VipsForeignLoadJpeg", "image/jpeg"), ("VipsForeignLoadPng", "image/png"), ("VipsForeignLoadWebp", "image/webp"),
            ("VipsForeignLoadNsgif", "image/gif"), ("VipsForeignLoadHeif", "image/heif"),
        ] where loader.hasPrefix(prefix) {
            return type
        }
        return nil
    }
}

/// How ``ImagePipeline/process(_:options:)`` makes the variants.
public struct ProcessingOptions: Hashable, Sendable {
    public enum Format: String, Hashable, Sendable {
        case webp, jpeg

        /// The MIME type of the encoding.
        public var contentType: String { self == .webp ? "image/webp" : "image/jpeg" }
        /// The file name extension.
        public var fileExtension: String { self == .webp ? "webp" : "jpg" }
    }

    /// Long side of the large variant (its side, with ``cropSquare``); never upscaled.
    public var largeSize: Int
    /// Long side of the small variant (its side, with ``cropSquare``).
    public var smallSize: Int
    /// Long side of the pixels the blurhash is computed from.
    public var pixelsSize: Int
    public var format: Format
    /// 1–100.
    public var quality: Int
    /// 0–6: WebP encoder effort.
    public var webpEffort: Int
    /// Convert through the embedded ICC profile to sRGB (attaching an sRGB profile).
    public var convertToSRGB: Bool
    /// Make both variants squares cut from the centre (avatars); an image whose short side is under a size gives a
    /// square of that short side.
    public var cropSquare: Bool

    public init(
        largeSize: Int = 1080,
        smallSize: Int = 640,
        pixelsSize: Int = 100,
        format: Format = .webp,
        quality: Int = 80,
        webpEffort: Int = 4,
        convertToSRGB: Bool = false,
        cropSquare: Bool = false
    ) {
        self.largeSize = largeSize
        self.smallSize = smallSize
        self.pixelsSize = pixelsSize
        self.format = format
        self.quality = quality
        self.webpEffort = webpEffort
        self.convertToSRGB = convertToSRGB
        self.cropSquare = cropSquare
    }
}

/// The encoded variants and the blurhash.
public struct ProcessedImage: Sendable {
    public var large: [UInt8]
    public var largeWidth: Int
    public var largeHeight: Int
    public var small: [UInt8]
    public var smallWidth: Int
    public var smallHeight: Int
    /// 4×3 components.
    public var blurhash: String
}

/// Why an image was not read or processed.
public struct ImageError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Hashable, Sendable {
        /// Not an image type libvips may read here.
        case unsupported
        /// A readable type whose content is truncated or corrupt.
        case corrupt
        /// A failure of the system, not of the file.
        case failed

        init(_ status: Int32) {
            switch status {
            case Int32(IA_VIPS_UNSUPPORTED): self = .unsupported
            case Int32(IA_VIPS_CORRUPT): self = .corrupt
            default: self = .failed
            }
        }
    }

    public var kind: Kind
    /// libvips' explanation, for logs (never for clients).
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { "\(kind): \(message)" }
}
