extension HTTPError {
    /// The error as a response: its status, `Content-Type: application/json`, its ``headers`` and ``jsonBody``.
    public var response: Response {
        let extra = headers.sorted { $0.key < $1.key }.map { (name: $0.key, value: $0.value) }
        return Response(
            status: status,
            headers: [("Content-Type", "application/json")] + extra,
            body: Array(jsonBody.utf8)
        )
    }

    /// The body `{"error":{"code":"…","message":"…","details":{…}}}`, with details in key order.
    ///
    /// Written by hand rather than with JSONEncoder so that it cannot fail and the key order is fixed.
    public var jsonBody: String {
        #"{"error":{"code":"#
            + Self.jsonString(code)
            + #","message":"#
            + Self.jsonString(message)
            + #","details":"#
            + detailsJSON
            + "}}"
    }

    /// `details` as a JSON object, in key order.
    var detailsJSON: String {
        "{" + details.sorted { $0.key < $1.key }.map { "\(Self.jsonString($0.key)):\(Self.jsonString($0.value))" }.joined(separator: ",") + "}"
    }

    /// A JSON string literal for `string`, escaping what RFC 8259 requires.
    private static func jsonString(_ string: String) -> String {
        var result = "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
