import CImageAppPlugin

extension Request {
    /// The parts of the `multipart/form-data` body, in body order, as the host read them (ABI 1.8).
    ///
    /// Only routes registered with
    /// ``PluginRegistrar/multipartRoute(_:_:flags:summary:description:tag:requestSchema:responseSchema:successStatus:limits:metadata:alsoAcceptsBody:handler:)``
    /// have parts; for other routes, or on a host older than ABI 1.8, this is empty. The host has already refused
    /// malformed bodies (400 `invalid_multipart`), other media types (415) and bodies over the route's limits (413).
    public var multipartParts: [MultipartPart] {
        guard let count = partCount, count > 0 else { return [] }
        return (0..<count).compactMap { index in
            var part = ia_multipart_part()
            part.struct_size = PluginABI.structSize(of: ia_multipart_part.self)
            guard api.pointee.request_part_at?(handle, index, &part) == IA_OK else { return nil }
            return MultipartPart(request: self, index: index, part: part)
        }
    }

    /// Whether the request's body is a form: its `Content-Type` is `multipart/form-data` (in any case, parameters
    /// aside), the rule by which the host decides to read a form.
    ///
    /// On a route registered with `alsoAcceptsBody` (ABI 1.13) this tells the two kinds of request apart: `true`, the
    /// host read the form and the handler reads ``multipartParts``; `false`, the body is in ``body`` (``decode(_:)``)
    /// and there are no parts. On a form-only multipart route it is always `true` (the host refused anything else
    /// with 415).
    public var isMultipart: Bool {
        guard let contentType = header("Content-Type") else { return false }
        let blank: Set<Character> = [" ", "\t"]
        let mediaType = contentType.prefix { $0 != ";" }.drop { blank.contains($0) }.reversed().drop { blank.contains($0) }
        return String(mediaType.reversed()).lowercased() == "multipart/form-data"
    }

    /// The parts whose field name is `name`, in body order.
    public func multipartParts(named name: String) -> [MultipartPart] {
        multipartParts.filter { $0.name == name }
    }

    /// The number of parts; nil when the host has no multipart slots or the route is not a multipart route.
    private var partCount: Int? {
        guard api.has(\.request_part_count) else { return nil }
        var count = 0
        guard api.pointee.request_part_count?(handle, &count) == IA_OK else { return nil }
        return count
    }
}
