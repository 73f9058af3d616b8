/// What a host process does. The same binary scales out by starting more of either kind.
public enum ProcessRole: String, Sendable, CaseIterable {
    /// Serves HTTP (and relays the events its commands commit).
    case api
    /// Consumes event streams and runs jobs; no HTTP listener.
    case worker
    /// Both: the default for a single-machine install.
    case all
}
