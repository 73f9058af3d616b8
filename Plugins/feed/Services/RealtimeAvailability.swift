import ImageAppPlugin
import RealtimeContract
import Synchronization

/// Whether the `realtime` plugin is loaded, asked once per process (plugins do not change while it runs) with
/// `realtime.available`; until it answers, and when it is not there, nothing is pushed.
final class RealtimeAvailability: Sendable {
    private let known = Mutex<Bool?>(nil)

    /// Asks the first time (blocks: worker threads only); a failure is asked again next time.
    func isAvailable(_ host: PluginHost) -> Bool {
        if let known = known.withLock({ $0 }) { return known }
        let answer: Bool
        do {
            answer = try host.dispatchQueryIfRegistered(RealtimeQuery.available) != nil
        } catch {
            return false
        }
        known.withLock { $0 = answer }
        return answer
    }
}
