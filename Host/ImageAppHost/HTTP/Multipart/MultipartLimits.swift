import Foundation

/// The limits one multipart body is read under.
struct MultipartLimits: Sendable, Equatable {
    /// Most parts.
    var maxParts: Int
    /// Largest part body.
    var maxPartBytes: Int
    /// Largest request body, framing included.
    var maxTotalBytes: Int
}

/// What a route registered with `IA_ROUTE_MULTIPART` asked for; `nil` takes the host's setting.
struct MultipartRoute: Sendable, Equatable {
    var maxParts: Int?
    var maxPartBytes: Int?
    var maxTotalBytes: Int?
    /// Set for an `IA_ROUTE_FORM_OR_BODY` route (ABI 1.13): the limit of a request that is not a form, read whole as a
    /// plain body. `nil`: the route takes only forms (415 for anything else).
    var plainBodyBytes: Int?

    /// Whether a request with this Content-Type is read as a form: always, unless the route also takes plain bodies
    /// and the request is not `multipart/form-data` (the rule the header documents for `IA_ROUTE_FORM_OR_BODY`).
    func readsForm(contentType: String?) -> Bool {
        plainBodyBytes == nil || MultipartReader.isFormData(contentType)
    }

    /// The route's limits, the host's settings filling the gaps.
    func limits(_ settings: MultipartSettings) -> MultipartLimits {
        MultipartLimits(
            maxParts: maxParts ?? settings.maxParts,
            maxPartBytes: maxPartBytes ?? settings.maxPartBytes,
            maxTotalBytes: maxTotalBytes ?? settings.maxTotalBytes
        )
    }
}

/// The `[host]` multipart settings, resolved.
struct MultipartSettings: Sendable {
    /// Parts up to this size stay in memory; larger ones are spooled to `temporaryDirectory`.
    var memoryBytes: Int
    var maxParts: Int
    var maxPartBytes: Int
    var maxTotalBytes: Int
    /// Where spooled parts go (created on first use, mode 0700).
    var temporaryDirectory: String

    init(_ host: HostSettings) {
        memoryBytes = host.multipartMemoryBytes
        maxParts = host.multipartMaxParts
        maxPartBytes = host.multipartMaxPartBytes
        maxTotalBytes = host.multipartMaxTotalBytes
        temporaryDirectory =
            host.multipartTempDirectory
            ?? (ProcessInfo.processInfo.environment["TMPDIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp") + "/image-app-uploads"
    }
}
