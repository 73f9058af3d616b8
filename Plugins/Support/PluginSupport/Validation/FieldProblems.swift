public import ImageAppPlugin

/// Collects what is wrong with each field of a request, to answer every problem at once in one 422
/// `validation_failed` whose `details` maps each field to a sentence (docs/API.md, "Errors").
public struct FieldProblems: Sendable {
    /// The problems so far, by field name (snake_case, as the client sent it).
    public private(set) var details: [String: String] = [:]

    /// No problems yet.
    public init() {}

    /// Whether no problem was recorded.
    public var isEmpty: Bool { details.isEmpty }

    /// Records `problem` for `field` unless it is `nil` (or the field already has one: the first problem found is the
    /// one the client most needs to fix).
    public mutating func check(_ field: String, _ problem: String?) {
        if let problem, details[field] == nil { details[field] = problem }
    }

    /// A required text field: its value, or `""` and a recorded "is required" when it is missing or empty.
    public mutating func required(_ field: String, _ value: String?) -> String {
        guard let value, !value.isEmpty else {
            check(field, "is required")
            return ""
        }
        return value
    }

    /// The 422 `validation_failed` naming every field with a problem, or `nil` when there are none.
    public var error: HTTPError? {
        details.isEmpty ? nil : HTTPError.unprocessable(fields: details)
    }

    /// Throws 422 `validation_failed` naming every field with a problem; returns when there are none.
    public func throwIfAny() throws(HTTPError) {
        if let error { throw error }
    }
}
