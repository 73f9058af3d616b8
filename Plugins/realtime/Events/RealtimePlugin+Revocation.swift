import AuthContract
import ImageAppPlugin
import RealtimeContract

extension RealtimePlugin {
    /// Ended sessions and banned or deleted users close their streams in every instance, within a Redis round trip of
    /// the commit: in-process handlers run in the process that committed, right after it, and close the channels
    /// through Redis. A durable worker handler repeats it (a close of a channel nobody listens to costs nothing).
    func registerRevocation(_ registrar: PluginRegistrar) throws {
        let host = self.host
        let sessionsEnded: @Sendable (Event) throws -> Void = { event in
            for hash in try event.decodePayload(SessionsEnded.self).tokenHashes {
                try host.closeChannel(RealtimePush.sessionChannel(hash), reason: "session_ended")
            }
        }
        try registrar.eventHandler("close-ended-sessions-now", events: AuthEvent.sessionsEnded, inProcess: true, sessionsEnded)
        try registrar.eventHandler("close-ended-sessions", events: AuthEvent.sessionsEnded, sessionsEnded)
        for (type, reason) in [(AuthEvent.userBanned, "banned"), (AuthEvent.userDeleted, "deleted")] {
            try registrar.eventHandler("close-\(reason)-now", events: type, inProcess: true) { event in
                let user = try event.decodePayload(UserEvent.self)
                try host.closeChannel(RealtimePush.userChannel(user.userId.value), reason: reason)
            }
        }
    }
}
