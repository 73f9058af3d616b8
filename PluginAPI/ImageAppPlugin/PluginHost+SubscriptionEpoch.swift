import CImageAppPlugin

// ABI 1.14: when pub/sub messages may have been missed (`redis_subscription_epoch`).

extension PluginHost {
    /// The epoch of this process's Redis subscriptions: `0` while messages may be missed (no subscriber yet,
    /// disconnected, or not subscribed again after a reconnect), otherwise a number that changes after every such gap.
    ///
    /// A plugin that keeps local copies kept honest by messages (revocations, invalidations) reads it before fetching
    /// a value, stores the reading with the copy, and uses the copy only while the reading is nonzero and equal to the
    /// current epoch: then no message about it can have been lost. Lock-free; safe on event loops.
    ///
    /// ```swift
    /// let epoch = host.subscriptionEpoch
    /// let value = try fetch(key)
    /// if epoch != 0 { local[key] = (value, epoch) }
    /// // later: if let entry = local[key], entry.epoch == host.subscriptionEpoch { use(entry.value) }
    /// ```
    ///
    /// On a host older than ABI 1.14, which cannot tell, this is always `1`: keep such copies briefly, as before.
    public var subscriptionEpoch: UInt64 {
        guard has(\.redis_subscription_epoch), let epoch = api.pointee.redis_subscription_epoch else { return 1 }
        return epoch(handle)
    }
}
