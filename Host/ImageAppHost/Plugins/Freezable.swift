import Synchronization

/// State that plugins fill while they run `init` and the host only reads afterwards.
///
/// Until ``freeze()`` changes go through a lock (registration is rare, and happens on the
/// lifecycle thread); afterwards the value is an immutable snapshot, read without a lock, and
/// every change is refused. This is what lets the registries be `Sendable` without
/// `@unchecked`: nothing is written after the snapshot is published.
final class Freezable<Value: Sendable>: Sendable {
    private final class Snapshot: Sendable {
        let value: Value
        init(_ value: Value) { self.value = value }
    }

    private let building: Mutex<Value>
    private let frozen = AtomicLazyReference<Snapshot>()

    init(_ initial: Value) {
        building = Mutex(initial)
    }

    /// Applies `change` and returns its result; nil once frozen.
    func update<Result: Sendable>(_ change: (inout Value) -> Result) -> Result? {
        building.withLock { value -> Result? in
            guard frozen.load() == nil else { return nil }
            return change(&value)
        }
    }

    /// Publishes the current value as the snapshot; later changes are refused. Idempotent.
    @discardableResult
    func freeze() -> Value {
        building.withLock { value in frozen.storeIfNil(Snapshot(value)).value }
    }

    /// Whether ``freeze()`` has run.
    var isFrozen: Bool { frozen.load() != nil }

    /// The snapshot once frozen (no lock); before that, a copy of the value being built.
    var value: Value {
        if let snapshot = frozen.load() { return snapshot.value }
        return building.withLock { $0 }
    }
}
