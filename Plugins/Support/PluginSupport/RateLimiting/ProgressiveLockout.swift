/// A budget that, once spent, locks its key for a while instead of merely waiting for the window to end — and for
/// longer each time it is spent again soon after (OWASP's progressive delays): the first lockout lasts
/// `firstLockoutSeconds`, each next one twice the last, up to `maxLockoutSeconds`. A key that is left alone for a
/// whole window after its lockout ends starts again from the first length.
///
/// For budgets that a distributed guesser can spend at will (login attempts on one account from untrusted clients):
/// the lockout slows guessing down ever more, and the owner keeps a way in that it does not touch (a device cookie).
public struct ProgressiveLockout: Hashable, Sendable {
    /// The budget: at most `budget.limit` hits per `budget.windowSeconds` before a lockout.
    public var budget: RateLimit
    /// The length of the first lockout.
    public var firstLockoutSeconds: Int
    /// The longest lockout.
    public var maxLockoutSeconds: Int

    /// A lockout after `budget` is spent, first `firstLockoutSeconds` long, doubling up to `maxLockoutSeconds`.
    public init(budget: RateLimit, firstLockoutSeconds: Int, maxLockoutSeconds: Int) {
        self.budget = budget
        self.firstLockoutSeconds = firstLockoutSeconds
        self.maxLockoutSeconds = Swift.max(firstLockoutSeconds, maxLockoutSeconds)
    }

    /// The length of the lockout that the `strike`-th consecutive spending of the budget starts (1 for the first).
    public func lockoutSeconds(strike: Int) -> Int {
        var seconds = firstLockoutSeconds
        var strike = strike
        while strike > 1 && seconds < maxLockoutSeconds {
            seconds *= 2
            strike -= 1
        }
        return Swift.min(seconds, maxLockoutSeconds)
    }
}
