import CImageAppPlugin
import ImageAppPlugin

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// test-multipart: routes that take `multipart/form-data` through the host's parser (ABI 1.8) and describe the parts
/// they got, so tests can check names, file names, types, sizes, bytes (read both through the SDK and straight from a
/// spooled file) and that spooled files are gone after the request.
///
/// | route | limits |
/// |---|---|
/// | `POST /api/v1/test/multipart` | the host's |
/// | `POST /api/v1/test/multipart/limited` | 3 parts, 1000 bytes a part, 5000 bytes in all |
/// | `POST /api/v1/test/multipart/slow?ms=N` | the host's; answers after N ms (for timeouts) |
/// | `POST /api/v1/test/multipart/plain` | not a multipart route: reports that it has no parts |
struct MultipartPlugin: Sendable {
    static func initialize(_ registrar: PluginRegistrar) throws {
        try registrar.multipartRoute(.post, "/api/v1/test/multipart", flags: .hidden) { try describe($0) }
        try registrar.multipartRoute(
            .post,
            "/api/v1/test/multipart/limited",
            flags: .hidden,
            limits: MultipartLimits(maxParts: 3, maxPartBytes: 1000, maxTotalBytes: 5000)
        ) { try describe($0) }
        try registrar.multipartRoute(.post, "/api/v1/test/multipart/slow", flags: .hidden) { request in
            let milliseconds = Int(request.query("ms") ?? "0") ?? 0
            let response = try describe(request)
            usleep(UInt32(milliseconds * 1000))
            return response
        }
        try registrar.route(.post, "/api/v1/test/multipart/plain", flags: .hidden) { request in
            // Not a multipart route: the count slot says so and zeroes its out value.
            var count = 99
            let status = request.api.pointee.request_part_count?(request.handle, &count)
            let refused = status == IA_ERR_UNSUPPORTED && count == 0
            return .json(raw: #"{"parts":\#(request.multipartParts.count),"count_refused":\#(refused)}"#)
        }
    }

    /// What a part looked like to the handler.
    struct PartReport: Encodable {
        var name: String
        var filename: String?
        var contentType: String?
        var size: Int
        var spooled: Bool
        var path: String?
        /// FNV-1a 64 of the bytes, in hex.
        var digest: String
        /// Whether a spooled file held the same bytes as `data()` (nil when in memory).
        var fileMatches: Bool?
        var text: String?
    }

    private static func describe(_ request: Request) throws -> Response {
        let parts = try request.multipartParts.map { part in
            let data = try part.data()
            var fileMatches: Bool?
            if let url = part.fileURL { fileMatches = (try? Data(contentsOf: url)) == data }
            return PartReport(
                name: part.name,
                filename: part.filename,
                contentType: part.contentType,
                size: part.size,
                spooled: part.fileURL != nil,
                path: part.fileURL?.path,
                digest: fnv1a(data),
                fileMatches: fileMatches,
                text: part.filename == nil && part.size < 200 ? try part.text() : nil
            )
        }
        return try .json(Report(parts: parts, outOfRangeRefused: outOfRangeRefused(request)))
    }

    struct Report: Encodable {
        var parts: [PartReport]
        var outOfRangeRefused: Bool
    }

    /// Asking for the part after the last: IA_ERR_NOT_FOUND, and the out values cleared, not left as they were.
    private static func outOfRangeRefused(_ request: Request) -> Bool {
        let api = request.api.pointee
        var count = 0
        guard api.request_part_count?(request.handle, &count) == IA_OK else { return false }
        var part = ia_multipart_part()
        part.struct_size = UInt32(MemoryLayout<ia_multipart_part>.stride)
        part.flags = 0xFFFF
        part.size = 12345
        part.name = ia_str(data: "stale", len: 5)
        let atStatus = api.request_part_at?(request.handle, count, &part)
        var data: UnsafeRawPointer? = UnsafeRawPointer(bitPattern: 0x1000)
        var length = 777
        let bytesStatus = api.request_part_bytes?(request.handle, count, &data, &length)
        return atStatus == IA_ERR_NOT_FOUND && part.flags == 0 && part.size == 0 && part.name.data == nil
            && part.struct_size == UInt32(MemoryLayout<ia_multipart_part>.stride)
            && bytesStatus == IA_ERR_NOT_FOUND && data == nil && length == 0
    }

    static func fnv1a(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
