public import ImageAppPlugin

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A request body that must be a JSON object, read as ``JSONValue``s so that each field's problem can be named:
/// 400 `invalid_json` for a field of the wrong JSON type, and 422 (through ``FieldProblems``) for unknown fields and
/// broken rules.
public struct JSONObjectBody: Sendable {
    /// The object's fields as sent.
    public let fields: [String: JSONValue]
    /// The fields the route knows.
    public let known: Set<String>

    /// - Throws: 400 `invalid_json` for an empty body, invalid JSON, or JSON that is not an object.
    public init(_ body: [UInt8], known: Set<String>) throws(HTTPError) {
        guard !body.isEmpty else { throw .invalidJSON("The request body is empty; a JSON object was expected.") }
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(body)) else { throw .invalidJSON() }
        guard case .object(let object) = value else { throw .invalidJSON("The request body must be a JSON object.") }
        self.fields = object
        self.known = known
    }

    /// Whether the body has `key` (even as `null`).
    public func has(_ key: String) -> Bool { fields[key] != nil }

    /// 422 problems for the keys that are not fields of `subject` (such as `a post`).
    public func unknownFieldProblems(of subject: String) -> FieldProblems {
        var problems = FieldProblems()
        for key in fields.keys.sorted() where !known.contains(key) {
            problems.check(String(key.prefix(64)), "is not a field of \(subject) (known: \(known.sorted().joined(separator: ", ")))")
        }
        return problems
    }

    /// A string; `nil` when absent or `null`.
    ///
    /// - Throws: 400 `invalid_json` naming `key` for another type.
    public func optionalString(_ key: String) throws(HTTPError) -> String? {
        switch fields[key] {
        case nil, .null: return nil
        case .string(let text): return text
        default: throw Self.wrongType(key, "must be a string or null")
        }
    }

    /// An array of positive 64-bit ids, written as strings of digits (or as integers); `nil` when absent or `null`;
    /// a sentence for `details` when an element is not an id or there are more than `maxCount`.
    ///
    /// - Throws: 400 `invalid_json` naming `key` when it is not an array.
    public func ids(_ key: String, maxCount: Int) throws(HTTPError) -> Result<[Int64], FieldProblem>? {
        switch fields[key] {
        case nil, .null: return nil
        case .array(let elements):
            guard elements.count <= maxCount else { return .failure(FieldProblem("must list at most \(maxCount) ids")) }
            var ids: [Int64] = []
            for element in elements {
                switch element {
                case .string(let text) where Self.isCanonicalID(text): ids.append(Int64(text)!)
                case .integer(let value) where value > 0: ids.append(value)
                default: return .failure(FieldProblem("must be ids: positive integers written as strings"))
                }
            }
            return .success(ids)
        default: throw Self.wrongType(key, "must be an array of ids")
        }
    }

    /// An object whose values are strings or `null`; `nil` when absent or `null`.
    ///
    /// - Throws: 400 `invalid_json` naming `key` for another shape.
    public func stringMap(_ key: String) throws(HTTPError) -> [String: String?]? {
        switch fields[key] {
        case nil, .null: return nil
        case .object(let object):
            var result: [String: String?] = [:]
            for (name, value) in object {
                switch value {
                case .null: result[name] = .some(nil)
                case .string(let text): result[name] = .some(text)
                default: throw Self.wrongType(key, "must map keys to strings or null")
                }
            }
            return result
        default: throw Self.wrongType(key, "must be an object of strings or null")
        }
    }

    /// 1–19 digits without a leading zero, within `Int64`, above 0.
    private static func isCanonicalID(_ text: String) -> Bool {
        guard (1...19).contains(text.utf8.count), text.utf8.first != UInt8(ascii: "0"),
            text.utf8.allSatisfy({ (0x30...0x39).contains($0) }), let value = Int64(text)
        else { return false }
        return value > 0
    }

    private static func wrongType(_ key: String, _ problem: String) -> HTTPError {
        .invalidJSON("The request body does not have the expected format.", details: [key: problem])
    }
}

/// A sentence for a field of `details`.
public struct FieldProblem: Error, Hashable, Sendable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }
}
