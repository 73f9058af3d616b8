/// Comma-separated positive decimal numbers (`12,345,6789`), read by scanning bytes.
///
/// For compact values a plugin writes to its own caches and reads on hot paths (a feed page's post ids on every warm
/// request): through `String`, `split` and `Int64(_:)` the parse cost more than the rest of serving the page. Strict:
/// anything but digits and single commas, a zero, or a number past `Int64.max` makes the whole list `nil`.
public enum DecimalList {
    /// The numbers of `bytes` in order (empty for empty input), or `nil` when it is not such a list.
    public static func parse(_ bytes: [UInt8]) -> [Int64]? {
        bytes.withUnsafeBufferPointer(parse)
    }

    /// The numbers of `bytes` (see ``parse(_:)-([UInt8])``).
    public static func parse(_ bytes: ArraySlice<UInt8>) -> [Int64]? {
        bytes.withUnsafeBufferPointer(parse)
    }

    /// Concrete, not generic: called across the module boundary, a generic scan runs unspecialized, byte by byte
    /// through witness tables, at several times the cost.
    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> [Int64]? {
        var numbers: [Int64] = []
        numbers.reserveCapacity(bytes.count / 8 + 1)
        var value: Int64 = 0
        var digits = 0
        for byte in bytes {
            if byte == UInt8(ascii: ",") {
                guard digits > 0, value > 0 else { return nil }
                numbers.append(value)
                value = 0
                digits = 0
                continue
            }
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (shifted, overflowed) = value.multipliedReportingOverflow(by: 10)
            let (next, overflowedAgain) = shifted.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            guard !overflowed, !overflowedAgain else { return nil }
            value = next
            digits += 1
        }
        if digits > 0 {
            guard value > 0 else { return nil }
            numbers.append(value)
        } else if !bytes.isEmpty {
            return nil  // a trailing comma
        }
        return numbers
    }

    /// `numbers` as such a list.
    public static func text(_ numbers: some Sequence<Int64>) -> String {
        numbers.map(String.init).joined(separator: ",")
    }
}
