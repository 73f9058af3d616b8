import AuthContract
import ImageAppPlugin
import PluginSupport

/// The body of `POST /api/v1/notifications/read`, checked: exactly one of `{"ids": [id, ...]}` (at most
/// ``maxIDs``), `{"up_to": id}` and `{"all": true}`, ids as the API writes them (strings of digits).
struct ReadBody: Sendable {
    /// The most ids in one request.
    static let maxIDs = 100

    /// What to mark read (the user is filled in by the route).
    var input: ReadInput

    /// - Throws: ``HTTPError`` 400 `invalid_json` for a body that is not a JSON object; 422 `validation_failed` for
    ///   anything else that is not exactly one of the three forms.
    init(_ raw: [UInt8]) throws(HTTPError) {
        let object = try JSONObjectBody(raw, known: ["ids", "up_to", "all"])
        var problems = object.unknownFieldProblems(of: "a read request")
        input = ReadInput(userId: UserID(1))
        let given = ["ids", "up_to", "all"].filter(object.has)
        if given.count != 1 {
            problems.check(given.last ?? "ids", "give exactly one of ids, up_to and all")
        }
        switch object.fields["ids"] {
        case nil: break
        case .array(let elements)?:
            let ids = elements.compactMap { element -> Int64? in
                if case .string(let text) = element { return Self.id(text) }
                return nil
            }
            if elements.count > Self.maxIDs {
                problems.check("ids", "must list at most \(Self.maxIDs) ids")
            } else if ids.count != elements.count {
                problems.check("ids", "must be notification ids: positive integers written as strings")
            } else {
                input.ids = ids
            }
        default: problems.check("ids", "must be an array of notification ids")
        }
        switch object.fields["up_to"] {
        case nil: break
        case .string(let text)? where Self.id(text) != nil: input.upTo = Self.id(text)
        default: problems.check("up_to", "must be a notification id: a positive integer written as a string")
        }
        switch object.fields["all"] {
        case nil: break
        case .bool(true)?: input.all = true
        default: problems.check("all", "must be true")
        }
        try problems.throwIfAny()
    }

    /// 1–19 digits without a leading zero, within `Int64`.
    private static func id(_ text: String) -> Int64? {
        guard (1...19).contains(text.utf8.count), text.utf8.first != UInt8(ascii: "0"),
            text.utf8.allSatisfy({ (0x30...0x39).contains($0) })
        else { return nil }
        return Int64(text)
    }
}
