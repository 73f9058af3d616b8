/// A configuration problem, reported with the file and line it comes from.
public struct ConfigError: Error, CustomStringConvertible, Sendable {
    /// The configuration file.
    public var file: String
    /// The 1-based line, when it is known.
    public var line: Int?
    /// What is wrong, as a sentence.
    public var message: String

    public init(file: String, line: Int? = nil, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
