import AuthContract
import ContentSniffing
import ImageAppPlugin
import ImageProcessing
import MediaContract
import PluginCrypto
import PluginSupport

extension MediaPlugin {
    /// Content types accepted, as libmagic names them, with the libvips loader family each must also match: a file
    /// that libmagic and libvips disagree about is refused.
    static let acceptedTypes: [String: String] = [
        "image/jpeg": "image/jpeg", "image/png": "image/png", "image/webp": "image/webp", "image/gif": "image/gif",
        "image/heic": "image/heif", "image/heif": "image/heif", "image/avif": "image/heif",
    ]

    /// `POST /api/v1/media`.
    func registerUploadRoute(_ registrar: PluginRegistrar) throws {
        try registrar.multipartRoute(
            .post,
            "/api/v1/media",
            flags: .requireUser,
            summary: "Uploads an image",
            description: "Send `multipart/form-data` with the image in a file part named `file` (at most \(settings.maxBytes) "
                + "bytes) and optionally `alt` text. The type is told from the content, whatever the file's name or declared "
                + "type: JPEG, PNG, WebP or GIF (HEIC and AVIF too); anything else is 415 `unsupported_media_type`. An image "
                + "over \(settings.maxPixels) pixels or \(settings.maxSide) px on a side is 422 `image_too_large` (told from "
                + "its header, before decoding); a truncated or corrupt one 422 `invalid_image`. The image is processed before "
                + "the answer: orientation applied, converted to sRGB, every metadata field but the colour profile removed "
                + "(GPS included), variants of \(settings.processing.largeSize) px (`url`) and \(settings.processing.smallSize) "
                + "px (`preview_url`) on the long side, never upscaled; an animated GIF keeps its first frame. When every "
                + "processing slot is taken the answer is 503 `server_busy` with `Retry-After`. Media no post attaches "
                + "within \(settings.unattachedTTLSeconds) seconds is deleted.",
            tag: "media",
            requestSchema: MediaSchemas.upload,
            responseSchema: MediaSchemas.media,
            successStatus: 201,
            limits: MultipartLimits(maxParts: 8, maxPartBytes: settings.bodyLimit, maxTotalBytes: settings.bodyLimit),
            metadata: ["rate_limit": "uploads"],  // the upload budget of `ratelimit`, on top of the general one
            handler: upload
        )
    }

    private func upload(_ request: Request) throws -> Response {
        let owner = try caller(request)
        let (bytes, alt) = try form(request)
        let media = try ingest(bytes, alt: alt, owner: owner) { request.log($0, $1) }
        return .json(raw: media, status: 201)
    }

    /// The one way an image becomes media, for the upload route and the `media.ingest` command: told by content,
    /// checked by its header, processed on the pool, stored, recorded with `media.create`. Returns the media view's
    /// JSON; throws the refusal (415, 422, 503) the client gets, or 500.
    func ingest(_ bytes: [UInt8], alt: String?, owner: UserID, log: (LogLevel, String) -> Void) throws -> String {
        let (sourceType, header) = try inspect(bytes)

        var processing = settings.processing
        // Through the embedded profile into sRGB (libvips attaches its sRGB profile); untagged images are taken as sRGB.
        processing.convertToSRGB = header.hasICC
        let options = processing
        let pipeline = self.pipeline
        let outcome = pool.run {
            bytes.withUnsafeBytes { buffer in
                Result { () throws(ImageError) -> ProcessedImage in try pipeline.process(buffer, options: options) }
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
        let image: ProcessedImage
        switch outcome {
        case .success(let processed): image = processed
        case .failure(let error): throw refusal(for: error, log)
        }

        let keys = try store(image, original: settings.keepOriginal ? (bytes, sourceType) : nil, owner: owner, log)
        do {
            let result = try host.dispatchCommand(
                "media.create",
                payload: NewMedia(
                    ownerId: owner,
                    largeKey: keys.large,
                    smallKey: keys.small,
                    originalKey: keys.original,
                    width: image.largeWidth,
                    height: image.largeHeight,
                    alt: alt,
                    blurhash: image.blurhash,
                    sourceType: sourceType
                )
            )
            return result ?? "{}"
        } catch {
            discard([keys.large, keys.small] + (keys.original.map { [$0] } ?? []), log)
            throw error
        }
    }

    /// The form's `file` bytes and checked `alt`; 422 or 413 for a form that does not fit.
    private func form(_ request: Request) throws -> (bytes: [UInt8], alt: String?) {
        var problems: [String: String] = [:]
        let files = request.multipartParts(named: "file")
        let alts = request.multipartParts(named: "alt")
        if files.isEmpty { problems["file"] = "is required: send the image in a form part named 'file'" }
        if files.count > 1 { problems["file"] = "must be sent once" }
        if alts.count > 1 { problems["alt"] = "must be sent once" }
        var alt: String?
        if alts.count == 1 {
            if let text = try? alts[0].text() {
                switch MediaRules.alt(text) {
                case .success(let checked): alt = checked
                case .failure(let problem): problems["alt"] = problem.message
                }
            } else {
                problems["alt"] = "must be UTF-8 text"
            }
        }
        if files.count == 1 {
            let part = files[0]
            if part.size > settings.maxBytes { throw fileTooLarge }
            if part.size == 0 { problems["file"] = "is empty" }
        }
        guard problems.isEmpty else { throw HTTPError.unprocessable(fields: problems) }
        return (try files[0].bytes(), alt)
    }

    /// The refusal of a file over `max_bytes`.
    var fileTooLarge: HTTPError {
        HTTPError(
            status: 413,
            code: "payload_too_large",
            message: "The file is larger than \(settings.maxBytes) bytes.",
            details: ["file": "must be at most \(settings.maxBytes) bytes"]
        )
    }

    /// The type told by content, and the header, or the refusal: 415 for a type not taken, 422 for an unreadable
    /// header or an image too large. Nothing is decoded here.
    private func inspect(_ bytes: [UInt8]) throws -> (type: String, header: ImageHeader) {
        let sniffed = sniffer.mimeType(of: bytes) ?? "application/octet-stream"
        let unsupported = HTTPError(
            status: 415,
            code: "unsupported_media_type",
            message: "The file must be a JPEG, PNG, WebP or GIF image; its content is \(sniffed).",
            details: ["file": "must be a JPEG, PNG, WebP or GIF image"]
        )
        guard let family = Self.acceptedTypes[sniffed] else { throw unsupported }
        let header: ImageHeader
        do {
            header = try pipeline.header(of: bytes)
        } catch {
            throw error.kind == .unsupported ? unsupported : Self.invalidImage
        }
        // libmagic and libvips must agree on what the file is (a polyglot may look like one thing to each).
        guard header.loaderType == family else { throw unsupported }
        guard header.width <= settings.maxSide, header.height <= settings.maxSide, header.pixels <= settings.maxPixels else {
            throw HTTPError(
                status: 422,
                code: "image_too_large",
                message: "The image is \(header.width)×\(header.height) pixels; at most \(settings.maxPixels) pixels "
                    + "and \(settings.maxSide) on a side are accepted.",
                details: ["file": "must be at most \(settings.maxPixels) pixels and \(settings.maxSide) pixels on a side"]
            )
        }
        return (sniffed, header)
    }

    private static let invalidImage = HTTPError(
        status: 422,
        code: "invalid_image",
        message: "The image is truncated or corrupt.",
        details: ["file": "is truncated or corrupt"]
    )

    private func refusal(for error: ImageError, _ log: (LogLevel, String) -> Void) -> HTTPError {
        switch error.kind {
        case .corrupt: return Self.invalidImage
        case .unsupported:
            return HTTPError(
                status: 415,
                code: "unsupported_media_type",
                message: "The file must be a JPEG, PNG, WebP or GIF image.",
                details: ["file": "must be a JPEG, PNG, WebP or GIF image"]
            )
        case .failed:
            log(.error, "cannot process an upload: \(error.message)")
            return .internalError
        }
    }

    /// Stores the variants (and the original, when kept) under fresh random names, and returns their keys. The
    /// original gets a name of its own, so that the variants' URLs do not lead to it.
    private func store(
        _ image: ProcessedImage,
        original: (bytes: [UInt8], type: String)?,
        owner: UserID,
        _ log: (LogLevel, String) -> Void
    ) throws -> (large: String, small: String, original: String?) {
        let format = settings.processing.format
        let folder = "media/\(owner)/\(Self.randomName())"
        var stored: [String] = []
        do {
            let large = try host.putBlob("\(folder)/large.\(format.fileExtension)", bytes: image.large, contentType: format.contentType)
            stored.append(large)
            let small = try host.putBlob("\(folder)/small.\(format.fileExtension)", bytes: image.small, contentType: format.contentType)
            stored.append(small)
            var originalKey: String?
            if let original {
                originalKey = try host.putBlob("media-originals/\(owner)/\(Self.randomName())", bytes: original.bytes, contentType: original.type)
            }
            return (large, small, originalKey)
        } catch {
            log(.error, "cannot store media of user \(owner): \(error)")
            discard(stored, log)
            throw error.status == .unavailable ? HTTPError.unavailable() : HTTPError.internalError
        }
    }

    /// Deletes blobs that did not get recorded.
    private func discard(_ keys: [String], _ log: (LogLevel, String) -> Void) {
        for key in keys {
            do {
                try host.deleteBlob(key)
            } catch {
                log(.warning, "cannot delete the unused blob '\(key)': \(error)")
            }
        }
    }

    /// 128 random bits in hex.
    private static func randomName() -> String {
        SecureRandom.bytes(16).map { byte in
            let digits = Array("0123456789abcdef")
            return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
        }.joined()
    }
}
