/// libmagic could not be set up: it failed to initialise or to load its magic database.
public struct ContentSniffingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A human sentence saying what failed, with libmagic's own reason where it gave one.
    public var message: String

    /// Creates an error with a message.
    public init(message: String) {
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
