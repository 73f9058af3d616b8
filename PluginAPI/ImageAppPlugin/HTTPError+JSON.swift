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
            + JSONText.quote(code)
            + #","message":"#
            + JSONText.quote(message)
            + #","details":"#
            + detailsJSON
            + "}}"
    }

    /// `details` as a JSON object, in key order.
    var detailsJSON: String {
        "{" + details.sorted { $0.key < $1.key }.map { "\(JSONText.quote($0.key)):\(JSONText.quote($0.value))" }.joined(separator: ",") + "}"
    }
}
