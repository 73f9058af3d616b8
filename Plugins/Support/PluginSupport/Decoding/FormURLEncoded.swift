/// `application/x-www-form-urlencoded` bodies (what an HTML form posts) and percent-encoded text, decoded by hand:
/// a few lines that plugins cannot take from Foundation without its URL machinery, and strict — a malformed percent
/// escape or invalid UTF-8 makes the result `nil` rather than a guess.
public enum FormURLEncoded {
    /// The fields of `body`; a repeated name keeps its first value. `+` is a space.
    public static func parse(_ body: [UInt8]) -> [String: String]? {
        var fields: [String: String] = [:]
        for pair in body.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = decode(parts[0]), let value = decode(parts.count > 1 ? parts[1] : [][...]) else { return nil }
            if fields[name] == nil { fields[name] = value }
        }
        return fields
    }

    /// The fields of `text`, as in a query string (without the `?`).
    public static func parse(_ text: String) -> [String: String]? {
        parse(Array(text.utf8))
    }

    /// Percent-decodes `bytes` (form encoding: `+` is a space); `nil` for a bad escape or invalid UTF-8.
    public static func decode(_ bytes: some Collection<UInt8>) -> String? {
        decode(bytes, plusIsSpace: true)
    }

    /// Percent-decodes `text`; `+` stays `+` unless `plusIsSpace` (form bodies and query strings write spaces as `+`,
    /// paths do not). `nil` for a bad escape or invalid UTF-8.
    public static func percentDecode(_ text: String, plusIsSpace: Bool = false) -> String? {
        decode(Array(text.utf8), plusIsSpace: plusIsSpace)
    }

    private static func decode(_ bytes: some Collection<UInt8>, plusIsSpace: Bool) -> String? {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var iterator = bytes.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+") where plusIsSpace: output.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else { return nil }
                output.append(high << 4 | low)
            default: output.append(byte)
            }
        }
        return String(validating: output, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
