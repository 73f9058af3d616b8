import AuthContract
import ImageAppPlugin
import ImageProcessing
import MediaContract
import PluginSupport

extension MediaPlugin {
    /// `POST /api/v1/media`.
    func registerUploadRoute(_ registrar: PluginRegistrar) throws {
        let limits = settings.intake
        try registrar.multipartRoute(
            .post,
            "/api/v1/media",
            flags: .requireUser,
            summary: "Uploads an image",
            description: "Send `multipart/form-data` with the image in a file part named `file` (at most \(settings.maxBytes) "
                + "bytes) and optionally `alt` text. The type is told from the content, whatever the file's name or declared "
                + "type: JPEG, PNG, WebP or GIF (HEIC and AVIF too); anything else is 415 `unsupported_media_type`. An image "
                + "over \(limits.maxPixels) pixels or \(limits.maxSide) px on a side is 422 `image_too_large` (told from "
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
        let media = try ingest(bytes, alt: alt, owner: owner, log: request.log)
        return .json(raw: media, status: 201)
    }

    /// The one way an image becomes media, for the upload route and the `media.ingest` command: told by content,
    /// checked by its header, processed on the pool, stored, recorded with `media.create`. Returns the media view's
    /// JSON; throws the refusal (415, 422, 503) the client gets, or 500.
    func ingest(_ bytes: [UInt8], alt: String?, owner: UserID, log: (LogLevel, String) -> Void) throws -> String {
        let accepted = try images.process(bytes, options: settings.processing, log: log)
        let image = accepted.image
        let variants = try images.storeVariants(of: image, as: settings.processing.format, in: "media/\(owner)", log: log)
        var keys = [variants.large, variants.small]
        var originalKey: String?
        if settings.keepOriginal {
            // A name of its own, so that the variants' URLs do not lead to it.
            let folder = "media-originals/\(owner)"
            do {
                let key = try host.putBlob("\(folder)/\(ImageIntake.randomName())", bytes: bytes, contentType: accepted.type)
                originalKey = key
                keys.append(key)
            } catch {
                images.discard(keys, log: log)
                throw images.storageFailure(error, storing: folder, log: log)
            }
        }
        do {
            let result = try host.dispatchCommand(
                "media.create",
                payload: NewMedia(
                    ownerId: owner,
                    largeKey: variants.large,
                    smallKey: variants.small,
                    originalKey: originalKey,
                    width: image.largeWidth,
                    height: image.largeHeight,
                    alt: alt,
                    blurhash: image.blurhash,
                    sourceType: accepted.type
                )
            )
            return result ?? "{}"
        } catch {
            images.discard(keys, log: log)
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
}
