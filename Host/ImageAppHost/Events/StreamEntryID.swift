/// A Redis stream entry id, `<milliseconds>-<sequence>`, ordered as Redis orders them (not as text: `9-0` < `10-0`).
struct StreamEntryID: Comparable, Sendable {
    let milliseconds: UInt64
    let sequence: UInt64

    /// Parses `text`; nil unless it is two decimal numbers joined by `-`.
    init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let milliseconds = UInt64(parts[0]), let sequence = UInt64(parts[1]) else { return nil }
        self.milliseconds = milliseconds
        self.sequence = sequence
    }

    static func < (lhs: Self, rhs: Self) -> Bool {
        (lhs.milliseconds, lhs.sequence) < (rhs.milliseconds, rhs.sequence)
    }
}
