import ImageAppPlugin

/// Collects what is wrong with each field of a request, to answer every problem at once in one 422.
struct FieldProblems {
    private(set) var details: [String: String] = [:]

    /// Records `problem` for `field` unless it is `nil` (or the field already has one).
    mutating func check(_ field: String, _ problem: String?) {
        if let problem, details[field] == nil { details[field] = problem }
    }

    /// A required text field: its value, or a recorded problem.
    mutating func required(_ field: String, _ value: String?) -> String {
        guard let value, !value.isEmpty else {
            check(field, "is required")
            return ""
        }
        return value
    }

    /// Throws 422 `validation_failed` naming every field with a problem.
    func throwIfAny() throws(HTTPError) {
        guard details.isEmpty else { throw HTTPError.unprocessable(fields: details) }
    }
}
