import AuthContract
import Foundation
import ImageAppPlugin
import MediaContract

extension MediaPlugin {
    /// `PATCH /api/v1/media/{id}`.
    func registerAltRoute(_ registrar: PluginRegistrar) throws {
        try registrar.route(
            .patch,
            "/api/v1/media/{id}",
            flags: .requireUser,
            summary: "Edits the alt text of your media",
            description: "Only the uploader may edit it; anyone else gets 404 `media_not_found`, as for an unknown id. "
                + "Answers the media.",
            tag: "media",
            requestSchema: MediaSchemas.update,
            responseSchema: MediaSchemas.media,
            handler: patchAlt
        )
    }

    private func patchAlt(_ request: Request) throws -> Response {
        let owner = try caller(request)
        guard let id = request.parameter("id").flatMap(MediaID.init) else { throw Self.notFound }
        let body: AltUpdate
        do {
            body = try JSONDecoder().decode(AltUpdate.self, from: request.withBody { Data($0) })
        } catch let error as HTTPError {
            throw error
        } catch {
            throw HTTPError.invalidJSON("The request body must be a JSON object with `alt`: a string or null.")
        }
        let result = try host.dispatchCommand(MediaCommand.setAlt, payload: SetAltInput(ownerId: owner, mediaId: id, alt: body.alt))
        return .json(raw: result ?? "{}")
    }

    /// The signed-in caller (the route requires a user; this only guards against a host that let one through).
    func caller(_ request: Request) throws(HTTPError) -> UserID {
        guard let principal = request.principal, principal.userID > 0 else { throw .unauthorized() }
        return UserID(principal.userID)
    }
}

/// The body of `PATCH /api/v1/media/{id}`: `alt` must be there (`null` removes it); nothing else may.
private struct AltUpdate: Decodable {
    var alt: String?

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        let unknown = container.allKeys.map(\.stringValue).filter { $0 != "alt" }
        guard unknown.isEmpty else {
            throw HTTPError.unprocessable(fields: Dictionary(uniqueKeysWithValues: unknown.map { ($0, "is not a known field") }))
        }
        guard container.contains(AnyKey("alt")) else { throw HTTPError.unprocessable(fields: ["alt": "is required"]) }
        do {
            alt = try container.decodeIfPresent(String.self, forKey: AnyKey("alt"))
        } catch {
            throw HTTPError.unprocessable(fields: ["alt": "must be a string or null"])
        }
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
