public import ContentSniffing
public import ImageAppPlugin
import PluginCrypto

/// What every image upload goes through, and the refusals a client gets for it: the type told by content, the header
/// held to the limits before any pixel is decoded, the pipeline run on a ``ProcessingPool``, and the variants stored
/// under fresh names. media's `POST /api/v1/media` and profiles' `PUT /api/v1/me/avatar` share it, so that both take
/// the same files and refuse the same way:
///
/// - 415 `unsupported_media_type`: not a JPEG, PNG, WebP, GIF, HEIC/HEIF or AVIF by content (libmagic), or one that
///   libvips' loader does not agree is that type (a polyglot);
/// - 422 `image_too_large`: over ``ImageIntakeSettings/maxPixels`` or ``ImageIntakeSettings/maxSide`` by the header;
/// - 422 `invalid_image`: a header or pixels that cannot be read (truncated, corrupt);
/// - 503 `server_busy` with `Retry-After`: every processing slot taken and the queue full;
/// - 500: a failure of ours (logged, never detailed to the client).
///
/// Blocks the calling thread (a host worker thread of a blocking route) until its image is processed.
public struct ImageIntake: Sendable {
    /// Content types accepted, as libmagic names them, with the libvips loader family each must also match: a file
    /// that libmagic and libvips disagree about is refused. Never SVG: it can carry scripts.
    public static let acceptedTypes: [String: String] = [
        "image/jpeg": "image/jpeg", "image/png": "image/png", "image/webp": "image/webp", "image/gif": "image/gif",
        "image/heic": "image/heif", "image/heif": "image/heif", "image/avif": "image/heif",
    ]

    /// The plugin's host: blobs and logs.
    public let host: PluginHost
    /// The limits and the pool's size.
    public let settings: ImageIntakeSettings
    /// The form field the file comes in, named in refusals' `details`.
    public let field: String
    /// Tells uploads by their bytes (libmagic).
    private let sniffer: ContentSniffer
    /// libvips.
    private let pipeline: ImagePipeline
    /// Where images are processed.
    private let pool: ProcessingPool

    /// Loads libmagic's database and starts the pool's threads, named `<threadName>-<index>`.
    ///
    /// - Throws: ``ContentSniffingError`` when libmagic cannot be set up.
    public init(
        host: PluginHost,
        settings: ImageIntakeSettings,
        pipeline: ImagePipeline,
        field: String,
        threadName: String
    ) throws(ContentSniffingError) {
        self.host = host
        self.settings = settings
        self.field = field
        self.sniffer = try ContentSniffer()
        self.pipeline = pipeline
        self.pool = ProcessingPool(threads: settings.concurrency, queueLength: settings.queueLength, name: threadName)
    }

    /// Checks `bytes` and makes the variants `options` asks for; converts through an embedded ICC profile to sRGB
    /// (untagged images are taken as sRGB).
    ///
    /// - Throws: ``HTTPError``: the refusals listed on the type.
    public func process(_ bytes: [UInt8], options: ProcessingOptions, log: (LogLevel, String) -> Void) throws(HTTPError) -> AcceptedImage {
        let (type, header) = try inspect(bytes)
        var options = options
        options.convertToSRGB = header.hasICC
        let pipeline = self.pipeline
        let job = options
        let outcome = pool.run {
            bytes.withUnsafeBytes { buffer in
                Result { () throws(ImageError) -> ProcessedImage in try pipeline.process(buffer, options: job) }
            }
        }
        guard let outcome else {
            throw HTTPError(
                status: 503,
                code: "server_busy",
                message: "Too many images are being processed; try again shortly.",
                headers: ["Retry-After": String(settings.retryAfterSeconds)]
            )
        }
        switch outcome {
        case .success(let image): return AcceptedImage(type: type, header: header, image: image)
        case .failure(let error): throw refusal(for: error, log)
        }
    }

    /// Stores `image`'s variants as `<folder>/<128 random bits>/large.<ext>` and `small.<ext>` and returns their keys.
    /// Fresh names, never content-addressed: no blob is shared by two records, so each can be deleted with its own.
    /// On a failure, whatever was stored is deleted again.
    ///
    /// - Throws: ``HTTPError``: 503 when no blob store answers, 500 otherwise (logged).
    public func storeVariants(
        of image: ProcessedImage,
        as format: ProcessingOptions.Format,
        in folder: String,
        log: (LogLevel, String) -> Void
    ) throws(HTTPError) -> (large: String, small: String) {
        let prefix = "\(folder)/\(Self.randomName())"
        var stored: [String] = []
        do {
            let large = try host.putBlob("\(prefix)/large.\(format.fileExtension)", bytes: image.large, contentType: format.contentType)
            stored.append(large)
            let small = try host.putBlob("\(prefix)/small.\(format.fileExtension)", bytes: image.small, contentType: format.contentType)
            return (large, small)
        } catch {
            discard(stored, log: log)
            throw storageFailure(error, storing: folder, log: log)
        }
    }

    /// The refusal for a blob that could not be stored under `folder`, logged: 503 when no blob store answers, else
    /// 500.
    public func storageFailure(_ error: PluginError, storing folder: String, log: (LogLevel, String) -> Void) -> HTTPError {
        log(.error, "cannot store images under '\(folder)': \(error)")
        return error.status == .unavailable ? HTTPError.unavailable() : HTTPError.internalError
    }

    /// Deletes blobs that did not get recorded (or no longer are); a failure is only logged.
    public func discard(_ keys: [String], log: (LogLevel, String) -> Void) {
        for key in keys {
            do {
                try host.deleteBlob(key)
            } catch {
                log(.warning, "cannot delete the blob '\(key)': \(error)")
            }
        }
    }

    /// 128 random bits in hex: a name nobody can guess.
    public static func randomName() -> String {
        let digits = Array("0123456789abcdef")
        return String(SecureRandom.bytes(16).flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] })
    }

    /// The type told by content, and the header, or the refusal: 415 for a type not taken, 422 for an unreadable
    /// header or an image too large. Nothing is decoded here.
    private func inspect(_ bytes: [UInt8]) throws(HTTPError) -> (type: String, header: ImageHeader) {
        let sniffed = sniffer.mimeType(of: bytes) ?? "application/octet-stream"
        guard let family = Self.acceptedTypes[sniffed] else { throw unsupported(content: sniffed) }
        let header: ImageHeader
        do {
            header = try pipeline.header(of: bytes)
        } catch {
            throw error.kind == .unsupported ? unsupported(content: sniffed) : invalidImage
        }
        // libmagic and libvips must agree on what the file is (a polyglot may look like one thing to each).
        guard header.loaderType == family else { throw unsupported(content: sniffed) }
        guard header.width <= settings.maxSide, header.height <= settings.maxSide, header.pixels <= settings.maxPixels else {
            throw HTTPError(
                status: 422,
                code: "image_too_large",
                message: "The image is \(header.width)×\(header.height) pixels; at most \(settings.maxPixels) pixels "
                    + "and \(settings.maxSide) on a side are accepted.",
                details: [field: "must be at most \(settings.maxPixels) pixels and \(settings.maxSide) pixels on a side"]
            )
        }
        return (sniffed, header)
    }

    /// 415 `unsupported_media_type`, naming what the content is when libmagic told.
    private func unsupported(content: String?) -> HTTPError {
        HTTPError(
            status: 415,
            code: "unsupported_media_type",
            message: "The file must be a JPEG, PNG, WebP or GIF image" + (content.map { "; its content is \($0)." } ?? "."),
            details: [field: "must be a JPEG, PNG, WebP or GIF image"]
        )
    }

    /// 422 `invalid_image`.
    private var invalidImage: HTTPError {
        HTTPError(status: 422, code: "invalid_image", message: "The image is truncated or corrupt.", details: [field: "is truncated or corrupt"])
    }

    private func refusal(for error: ImageError, _ log: (LogLevel, String) -> Void) -> HTTPError {
        switch error.kind {
        case .corrupt: return invalidImage
        case .unsupported: return unsupported(content: nil)
        case .failed:
            log(.error, "cannot process an upload: \(error.message)")
            return .internalError
        }
    }
}

/// An upload that passed: its type by content, its header, and the variants made.
public struct AcceptedImage: Sendable {
    /// The MIME type libmagic told, such as `image/jpeg`.
    public var type: String
    /// The header as uploaded (before orientation).
    public var header: ImageHeader
    /// The variants and the blurhash.
    public var image: ProcessedImage
}
