import ImageAppPlugin
import PluginSupport

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The body of `PATCH /api/v1/me`, checked: `{"display_name"?: string|null, "bio"?: string|null}`.
///
/// A field that is absent is left as it is; `display_name` `null` or blank removes the name, `bio` `null` empties
/// the bio.
struct ProfileUpdate: Hashable, Sendable {
    /// `nil`: leave the name; `.some(nil)`: remove it; `.some(name)`: set it.
    var displayName: String??
    /// `nil`: leave the bio; otherwise the new one (possibly empty).
    var bio: String?

    /// The fields of the body, as clients write them.
    static let fields: Set<String> = ["display_name", "bio"]

    /// Parses and checks a request body.
    ///
    /// - Throws: ``HTTPError``:
    ///   - 400 `invalid_json` when the body is empty, is not JSON, is not an object, or a field has the wrong JSON
    ///     type (`details` names it);
    ///   - 422 `validation_failed` for fields that break a rule and for unknown fields, all of them named in
    ///     `details`.
    init(body: Data) throws(HTTPError) {
        guard !body.isEmpty else {
            throw .invalidJSON("The request body is empty; a JSON object was expected.")
        }
        let raw: RawUpdate
        do {
            // No key strategy: unknown keys are reported exactly as the client wrote them.
            raw = try JSONDecoder().decode(RawUpdate.self, from: body)
        } catch let error as DecodingError {
            throw Self.httpError(for: error)
        } catch {
            throw .invalidJSON()
        }

        var problems: [String: String] = [:]
        for key in raw.unknownKeys {
            problems[key] = "is not a field of a profile (known: bio, display_name)"
        }
        switch raw.displayName {
        case nil:
            displayName = nil
        case .some(nil):
            displayName = .some(nil)
        case .some(.some(let text)):
            switch ProfileRules.displayName(text) {
            case .success(let name): displayName = .some(name)
            case .failure(let problem):
                displayName = nil
                problems["display_name"] = problem.message
            }
        }
        switch raw.bio {
        case nil:
            bio = nil
        case .some(nil):
            bio = ""
        case .some(.some(let text)):
            switch ProfileRules.bio(text) {
            case .success(let checked): bio = checked
            case .failure(let problem):
                bio = nil
                problems["bio"] = problem.message
            }
        }
        guard problems.isEmpty else {
            throw .unprocessable(fields: problems)
        }
    }

    /// Whether the body asked for no change at all (`{}`).
    var isEmpty: Bool {
        displayName == nil && bio == nil
    }

    /// The 400 for a body that is not a JSON object of strings and nulls.
    private static func httpError(for error: DecodingError) -> HTTPError {
        switch error {
        case .typeMismatch(_, let context) where !context.codingPath.isEmpty:
            let field = context.codingPath[0].stringValue
            return .invalidJSON(
                "The request body does not have the expected format.",
                details: [field: "must be a string or null"]
            )
        case .typeMismatch:
            return .invalidJSON("The request body must be a JSON object.")
        default:
            return .invalidJSON()
        }
    }
}

/// The body as sent: which known fields are present (and null or not), and which keys are unknown.
private struct RawUpdate: Decodable {
    /// `nil`: absent; `.some(nil)`: `null`.
    var displayName: String??
    var bio: String??
    var unknownKeys: [String]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        displayName = try Self.field("display_name", in: container)
        bio = try Self.field("bio", in: container)
        unknownKeys = container.allKeys.map(\.stringValue).filter { !ProfileUpdate.fields.contains($0) }
    }

    /// Absent, `null`, or a string (anything else is a type mismatch naming the field).
    private static func field(_ name: String, in container: KeyedDecodingContainer<AnyCodingKey>) throws -> String?? {
        let key = AnyCodingKey(name)
        guard container.contains(key) else { return nil }
        if try container.decodeNil(forKey: key) { return .some(nil) }
        return .some(try container.decode(String.self, forKey: key))
    }
}
