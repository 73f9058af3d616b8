public import Foundation

/// `multipart/form-data` bodies for tests, built by hand so a test can also send what no client library would.
public enum MultipartForm {
    /// A body of `parts` (the `Content-Disposition` value, a `Content-Type` or nil, the bytes) between `boundary` lines.
    public static func body(_ parts: [(disposition: String, type: String?, bytes: [UInt8])], boundary: String) -> Data {
        var body = Data()
        for part in parts {
            body.append(Data("--\(boundary)\r\nContent-Disposition: \(part.disposition)\r\n".utf8))
            if let type = part.type { body.append(Data("Content-Type: \(type)\r\n".utf8)) }
            body.append(Data("\r\n".utf8))
            body.append(contentsOf: part.bytes)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        return body
    }
}
