import ImageAppPlugin
import MultipartKit
import NIOCore

/// Reading one file out of a `multipart/form-data` request body (RFC 7578) with MultipartKit's streaming parser,
/// keeping only the wanted part's bytes and at most `maxBytes` of them.
enum MultipartForm {
    /// The bytes of the part named `name`.
    ///
    /// - Parameters:
    ///   - name: The form field, such as `avatar`.
    ///   - contentType: The request's `Content-Type`, which carries the boundary.
    ///   - body: The whole request body.
    ///   - maxBytes: The largest file accepted.
    /// - Throws: ``HTTPError``:
    ///   - 415 `unsupported_media_type` when the request is not `multipart/form-data`;
    ///   - 400 `invalid_multipart` when the boundary is missing or invalid, or the body is not well-formed multipart
    ///     (including a body that ends inside the part);
    ///   - 422 `validation_failed` when the part is missing, empty or sent twice (`details` names the field);
    ///   - 413 `payload_too_large` when the file is larger than `maxBytes`.
    static func file(
        named name: String,
        contentType: String?,
        body: UnsafeRawBufferPointer,
        maxBytes: Int
    ) throws(HTTPError) -> [UInt8] {
        let boundary = try boundary(in: contentType, field: name)
        guard MultipartGuard.headerNamesAreASCII(body, delimiter: Array("--\(boundary)".utf8)) else {
            throw malformed("A part has a header name that is not ASCII.")
        }

        let collector = PartCollector(name: name, maxBytes: maxBytes)
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in collector.header(name, value) }
        parser.onBody = { chunk in collector.append(chunk.readableBytesView) }
        parser.onPartComplete = { collector.completePart() }
        do {
            try parser.execute(ByteBuffer(bytes: body))
        } catch {
            throw malformed("The multipart body is malformed.")
        }
        return try collector.file()
    }

    /// The boundary of a `multipart/form-data` content type.
    private static func boundary(in contentType: String?, field: String) throws(HTTPError) -> String {
        let mediaType = contentType?.split(separator: ";", maxSplits: 1).first.map { String($0).trimmingWhitespace() }
        guard mediaType?.lowercased() == "multipart/form-data", let contentType else {
            throw HTTPError(
                status: 415,
                code: "unsupported_media_type",
                message: "Send the request as multipart/form-data with the file in a part named '\(field)'.",
                details: ["content_type": "must be multipart/form-data"]
            )
        }
        guard let header = HeaderValue(parsing: contentType) else {
            throw malformed("The Content-Type's parameters cannot be read (an unclosed quote?).")
        }
        guard let boundary = header.parameters["boundary"] else {
            throw malformed("The Content-Type has no boundary parameter.")
        }
        guard isValidBoundary(boundary) else {
            throw malformed("The multipart boundary must be 1 to 70 letters, digits or '()+_,-./:=? characters.")
        }
        return boundary
    }

    /// RFC 2046 §5.1.1: 1–70 of `bchars` (letters, digits, `'()+_,-./:=?` and space), not ending in a space.
    private static func isValidBoundary(_ boundary: String) -> Bool {
        let bytes = Array(boundary.utf8)
        guard (1...70).contains(bytes.count), bytes.last != UInt8(ascii: " ") else { return false }
        return bytes.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || Array("'()+_,-./:=? ".utf8).contains(byte)
        }
    }

    /// 400 `invalid_multipart`.
    private static func malformed(_ message: String) -> HTTPError {
        .badRequest(message, code: "invalid_multipart")
    }
}

/// Follows the parser's callbacks: keeps the wanted part's bytes, and what is needed to say what was wrong.
private final class PartCollector {
    let name: String
    let maxBytes: Int

    /// The headers of the part being read.
    private var headers: [(name: String, value: String)] = []
    /// Whether the part being read is the wanted one; decided at its first body bytes or at its end.
    private var isWanted: Bool?
    /// Parts named `name` seen so far.
    private var wantedParts = 0
    /// Whether the (first) wanted part ended at a boundary.
    private var isComplete = false
    /// Its bytes, up to `maxBytes`.
    private var bytes: [UInt8] = []
    /// Whether it had more than `maxBytes`.
    private var isTooLarge = false

    init(name: String, maxBytes: Int) {
        self.name = name
        self.maxBytes = maxBytes
    }

    func header(_ name: String, _ value: String) {
        headers.append((name, value))
    }

    func append(_ chunk: ByteBufferView) {
        guard decide(), wantedParts == 1, !isTooLarge else { return }
        if bytes.count + chunk.count > maxBytes {
            isTooLarge = true
            bytes = []
        } else {
            bytes.append(contentsOf: chunk)
        }
    }

    func completePart() {
        if decide(), wantedParts == 1 { isComplete = true }
        headers = []
        isWanted = nil
    }

    /// The file, or why there is none.
    func file() throws(HTTPError) -> [UInt8] {
        guard wantedParts <= 1 else {
            throw .unprocessable(fields: [name: "must be sent once"])
        }
        guard !isTooLarge else {
            throw HTTPError(
                status: 413,
                code: "payload_too_large",
                message: "The file is larger than \(maxBytes) bytes.",
                details: [name: "must be at most \(maxBytes) bytes"]
            )
        }
        guard wantedParts == 1 else {
            throw .unprocessable(fields: [name: "is required: send the file in a form part named '\(name)'"])
        }
        guard isComplete else {
            throw .badRequest("The multipart body ends before the '\(name)' part does.", code: "invalid_multipart")
        }
        guard !bytes.isEmpty else {
            throw .unprocessable(fields: [name: "is empty"])
        }
        return bytes
    }

    /// Whether the current part is the wanted one, by the `name` of its `Content-Disposition: form-data`.
    private func decide() -> Bool {
        if let isWanted { return isWanted }
        let disposition = headers.first { $0.name.lowercased() == "content-disposition" }
            .flatMap { HeaderValue(parsing: $0.value) }
        let wanted = disposition?.value == "form-data" && disposition?.parameters["name"] == name
        if wanted { wantedParts += 1 }
        isWanted = wanted
        return wanted
    }
}
