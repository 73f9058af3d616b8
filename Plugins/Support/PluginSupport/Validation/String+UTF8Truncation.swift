extension String {
    /// The longest prefix whose UTF-8 form fits in `maxBytes`, cut between Unicode scalars (never inside one).
    ///
    /// For metadata stored as it came (a user agent): `prefix(_:)` counts characters, and one character may be a
    /// letter with thousands of combining marks, so only a byte count bounds what is stored.
    public func truncated(toUTF8Bytes maxBytes: Int) -> String {
        guard utf8.count > maxBytes else { return self }
        var used = 0
        var scalars = String.UnicodeScalarView()
        for scalar in unicodeScalars {
            let size = UTF8.width(scalar)
            guard used + size <= maxBytes else { break }
            used += size
            scalars.append(scalar)
        }
        return String(scalars)
    }
}
