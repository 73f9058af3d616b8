/// A host call that failed, such as reading a setting that has another type.
public struct PluginError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The status the host returned.
    public var status: PluginStatus
    /// A human sentence saying what failed.
    public var message: String

    /// Creates an error with a host status and a message.
    public init(status: PluginStatus, message: String) {
        self.status = status
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
