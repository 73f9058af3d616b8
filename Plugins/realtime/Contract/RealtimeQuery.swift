/// The queries `realtime` answers for other plugins.
public enum RealtimeQuery {
    /// `{}` → `{"available": true}`, registered only while the `realtime` plugin is loaded: a plugin that pushes
    /// to many users (a feed's fan-out) asks once, with `dispatchQueryIfRegistered`, and pushes nothing when it is
    /// not there. Touches no table.
    public static let available = "realtime.available"
}
