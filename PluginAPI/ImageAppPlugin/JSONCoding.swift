#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The SDK's one JSON convention (snake_case keys, ISO 8601 dates) for request bodies, responses, command payloads
/// and command results, and the mapping of decoding failures to 400 `invalid_json` errors that name the field.
enum JSONCoding {
    /// An encoder with snake_case keys, ISO 8601 (RFC 3339, UTC) dates, sorted keys and unescaped slashes.
    static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    /// Encodes `value` as JSON text.
    static func encode(_ value: some Encodable) throws -> String {
        String(decoding: try makeEncoder().encode(value), as: UTF8.self)
    }

    /// Decodes `data` as `type`, converting snake_case keys to camelCase and reading ISO 8601 dates.
    ///
    /// - Parameters:
    ///   - subject: What is decoded, for messages: `request body` or `payload`.
    ///   - rootName: The field name of the document itself, for `details`.
    /// - Throws: ``HTTPError`` 400 `invalid_json`, naming the offending field where the decoder says which it was.
    static func decode<T: Decodable>(
        _ type: T.Type,
        from data: Data,
        subject: String,
        rootName: String
    ) throws(HTTPError) -> T {
        guard !data.isEmpty else {
            throw .invalidJSON("The \(subject) is empty; a JSON document was expected.")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(T.self, from: data)
        } catch let error as DecodingError {
            throw httpError(for: error, subject: subject, rootName: rootName)
        } catch {
            throw .invalidJSON("The \(subject) is not valid JSON.")
        }
    }

    /// Maps a decoding failure to a 400 that names the offending field where the decoder says which one it was.
    private static func httpError(for error: DecodingError, subject: String, rootName: String) -> HTTPError {
        let mismatch = HTTPError.invalidJSON("The \(subject) does not have the expected format.")
        func field(_ path: [any CodingKey], _ problem: String) -> HTTPError {
            var error = mismatch
            error.details = [fieldName(path, rootName: rootName): problem]
            return error
        }
        switch error {
        case .keyNotFound(let key, let context):
            return field(context.codingPath + [key], "is required")
        case .valueNotFound(_, let context):
            return field(context.codingPath, "must not be null")
        case .typeMismatch(let type, let context):
            guard !context.codingPath.isEmpty else { return mismatch }
            return field(context.codingPath, typeName(type).map { "must be \($0)" } ?? "has the wrong type")
        case .dataCorrupted(let context):
            // Syntax errors, and also numbers the target type cannot hold, both arrive without a path.
            return context.codingPath.isEmpty
                ? .invalidJSON("The \(subject) is not valid JSON, or a value does not fit its field.")
                : field(context.codingPath, "has an invalid value")
        @unknown default:
            return mismatch
        }
    }

    /// A client-facing path such as `items[2].display_name`, in the JSON's snake_case.
    private static func fieldName(_ path: [any CodingKey], rootName: String) -> String {
        var name = ""
        for key in path {
            if let index = key.intValue {
                name += "[\(index)]"
            } else {
                name += (name.isEmpty ? "" : ".") + snakeCase(key.stringValue)
            }
        }
        return name.isEmpty ? rootName : name
    }

    /// `displayName` → `display_name`, `requestID` → `request_id`; snake_case input is left as it is.
    private static func snakeCase(_ key: String) -> String {
        let characters = Array(key)
        var result = ""
        for (index, character) in characters.enumerated() {
            if character.isUppercase, index > 0 {
                let previous = characters[index - 1]
                let nextIsLower = index + 1 < characters.count && characters[index + 1].isLowercase
                if previous.isLowercase || previous.isNumber || (previous.isUppercase && nextIsLower) {
                    result += "_"
                }
            }
            result += character.lowercased()
        }
        return result
    }

    /// The JSON kind a client should have sent for `type`, when it is a simple one.
    private static func typeName(_ type: Any.Type) -> String? {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Double.Type, is Float.Type: "a number"
        case is any FixedWidthInteger.Type: "an integer"
        default:
            // Collections of any element type: the decoder reports them as Array<…> or Dictionary<String, …>.
            if String(describing: type).hasPrefix("Dictionary") {
                "an object"
            } else if String(describing: type).hasPrefix("Array") {
                "an array"
            } else {
                nil
            }
        }
    }
}
