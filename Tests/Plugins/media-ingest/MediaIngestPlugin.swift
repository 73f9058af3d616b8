import AuthContract
import ImageAppPlugin
import MediaContract

/// test-media-ingest: another plugin's way into `media.ingest` (a service command, ABI 1.13), as the `posts` plugin's
/// one-step form uses it.
///
/// | route | what it does |
/// |---|---|
/// | `POST /api/v1/test/media-ingest` | a form with `images` files and `alt` fields in the same order: each image through `media.ingest` for the caller; `{"items":[media]}` (201), or the first refusal as it came |
/// | `POST /api/v1/test/media-ingest/path` | JSON `{"path","alt"?}`: the file at `path` through `media.ingest` for the caller; the media (201) or the refusal |
struct MediaIngestPlugin: Sendable {
    static func initialize(_ registrar: PluginRegistrar) throws {
        let host = registrar.host
        try registrar.multipartRoute(.post, "/api/v1/test/media-ingest", flags: [.requireUser, .hidden]) { request in
            let owner = UserID(request.principal?.userID ?? 0)
            let alts = try request.multipartParts(named: "alt").map { try $0.text() }
            let items = try request.multipartParts(named: "images").enumerated().map { index, image in
                try image.withFile { path in
                    let input = IngestMediaInput(ownerId: owner, path: path, alt: index < alts.count ? alts[index] : nil)
                    return try host.dispatchCommand(MediaCommand.ingest, payload: input) ?? "null"
                }
            }
            return .json(raw: #"{"items":[\#(items.joined(separator: ","))]}"#, status: 201)
        }
        try registrar.route(.post, "/api/v1/test/media-ingest/path", flags: [.requireUser, .hidden]) { request in
            let body = try request.decode(PathInput.self)
            let input = IngestMediaInput(ownerId: UserID(request.principal?.userID ?? 0), path: body.path, alt: body.alt)
            return .json(raw: try host.dispatchCommand(MediaCommand.ingest, payload: input) ?? "null", status: 201)
        }
    }

    struct PathInput: Decodable {
        var path: String
        var alt: String?
    }
}
