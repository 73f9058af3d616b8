import CImageAppPlugin

#if canImport(FoundationEssentials)
public import FoundationEssentials
#else
public import Foundation
#endif

/// One part of a `multipart/form-data` body that the host read for a route registered with
/// ``PluginRegistrar/multipartRoute(_:_:flags:summary:description:tag:requestSchema:responseSchema:successStatus:limits:metadata:alsoAcceptsBody:handler:)``.
///
/// Small parts are in host memory; large ones were written by the host to a file (``fileURL``) that it removes when
/// the request completes. Either way ``withBytes(_:)``, ``bytes()`` and ``data()`` read the part. Like ``Request``, a
/// part is valid only while its request is: read what you need before handing work to another thread.
public struct MultipartPart {
    /// The part's position in the body, from 0.
    public let index: Int
    /// The form field: the `name` of the part's `Content-Disposition`.
    public let name: String
    /// The file name the client sent (`filename`, or a decoded `filename*`); `nil` for a plain field. Never use it as a
    /// path.
    public let filename: String?
    /// The part's `Content-Type` as the client sent it; `nil` when it sent none. Do not trust it: tell a file's type
    /// from its content.
    public let contentType: String?
    /// The size of the part's body in bytes.
    public let size: Int
    /// The file holding a large part, spooled by the host; `nil` for a part kept in memory. The file is removed when
    /// the request completes: read it, do not move or keep it.
    public let fileURL: URL?

    private let request: Request

    init(request: Request, index: Int, part: ia_multipart_part) {
        self.request = request
        self.index = index
        name = part.name.string
        filename = part.flags & UInt32(IA_PART_HAS_FILENAME) != 0 ? part.filename.string : nil
        contentType = part.content_type.len > 0 ? part.content_type.string : nil
        size = Int(clamping: part.size)
        fileURL = part.flags & UInt32(IA_PART_SPOOLED) != 0 ? URL(fileURLWithPath: part.path.string) : nil
    }

    /// Calls `body` with the part's bytes in host memory, without copying them: a spooled file is mapped read-only.
    /// The bytes are valid only during the call.
    ///
    /// - Throws: ``HTTPError/internalError`` when the host cannot map a spooled file; what `body` throws.
    public func withBytes<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) throws -> Result {
        var data: UnsafeRawPointer?
        var count = 0
        guard request.api.pointee.request_part_bytes?(request.handle, index, &data, &count) == IA_OK else {
            throw HTTPError.internalError
        }
        return try body(UnsafeRawBufferPointer(start: data, count: count))
    }

    /// A copy of the part's bytes.
    ///
    /// - Throws: ``HTTPError/internalError`` when the host cannot read a spooled file.
    public func bytes() throws -> [UInt8] {
        try withBytes { Array($0) }
    }

    /// A copy of the part's bytes as `Data`.
    ///
    /// - Throws: ``HTTPError/internalError`` when the host cannot read a spooled file.
    public func data() throws -> Data {
        try withBytes { Data($0) }
    }

    /// The part's bytes as UTF-8 text (invalid sequences repaired), for plain form fields.
    ///
    /// - Throws: ``HTTPError/internalError`` when the host cannot read a spooled file.
    public func text() throws -> String {
        try withBytes { String(decoding: $0, as: UTF8.self) }
    }
}
