#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import CImageAppPlugin

extension Request {
    /// Calls `body` with the request body in host memory, without copying it (already size-checked by the host).
    public func withBody<Result, Failure: Error>(
        _ body: (UnsafeRawBufferPointer) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        var data: UnsafeRawPointer?
        var count = 0
        guard api.pointee.request_body?(handle, &data, &count) == IA_OK else {
            return try body(UnsafeRawBufferPointer(start: nil, count: 0))
        }
        return try body(UnsafeRawBufferPointer(start: data, count: count))
    }

    /// A copy of the request body.
    public var body: [UInt8] {
        withBody { Array($0) }
    }

    /// The request body as UTF-8 text (invalid sequences repaired).
    public var bodyString: String {
        withBody { String(decoding: $0, as: UTF8.self) }
    }

    /// Decodes the JSON body as `type`, converting snake_case keys to camelCase and reading ISO 8601 dates.
    ///
    /// - Throws: ``HTTPError`` 400 `invalid_json` when the body is empty, is not JSON, or does not have the expected
    ///   shape (a missing field, a wrong type); `details` then names the field. Checks of the *values* (ranges,
    ///   lengths) are the handler's, with ``HTTPError/unprocessable(fields:message:)``.
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws(HTTPError) -> T {
        let data = withBody { Data($0) }
        guard !data.isEmpty else {
            throw .invalidJSON("The request body is empty; a JSON document was expected.")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        do {
            return try decoder.decode(T.self, from: data)
        } catch let error as DecodingError {
            throw Self.httpError(for: error)
        } catch {
            throw .invalidJSON()
        }
    }

    /// Maps a decoding failure to a 400 that names the offending field where the decoder says which one it was.
    private static func httpError(for error: DecodingError) -> HTTPError {
        let mismatch = HTTPError.invalidJSON("The request body does not have the expected format.")
        func field(_ path: [any CodingKey], _ problem: String) -> HTTPError {
            var error = mismatch
            error.details = [fieldName(path): problem]
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
                ? .invalidJSON("The request body is not valid JSON, or a value does not fit its field.")
                : field(context.codingPath, "has an invalid value")
        @unknown default:
            return mismatch
        }
    }

    /// A client-facing path such as `items[2].display_name`, in the JSON's snake_case.
    private static func fieldName(_ path: [any CodingKey]) -> String {
        var name = ""
        for key in path {
            if let index = key.intValue {
                name += "[\(index)]"
            } else {
                name += (name.isEmpty ? "" : ".") + snakeCase(key.stringValue)
            }
        }
        return name.isEmpty ? "body" : name
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
