public import Testing

/// Checks that `response` is a refusal in the product's error shape (`{"error": {"code", "message", "details"}}`)
/// with `status` and `code`.
public func expectRefusal(
    _ response: HTTPResult,
    _ status: Int,
    _ code: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(response.status == status, "\(response.text)", sourceLocation: sourceLocation)
    #expect(response.headers["content-type"] == "application/json", sourceLocation: sourceLocation)
    let error = response.json["error"] as? [String: Any]
    #expect(error?["code"] as? String == code, "\(response.text)", sourceLocation: sourceLocation)
    #expect((error?["message"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
    #expect(error?["details"] is [String: Any], "details must be an object: \(response.text)", sourceLocation: sourceLocation)
}

/// `error.details` of a refusal.
public func refusalDetails(_ response: HTTPResult) -> [String: String] {
    ((response.json["error"] as? [String: Any])?["details"] as? [String: String]) ?? [:]
}
