extension Array where Element == UInt8 {
    /// Whether `needle` occurs in these bytes (a camera make left in an image, say).
    public func contains(subsequence needle: [UInt8]) -> Bool {
        firstRange(of: needle) != nil
    }
}
