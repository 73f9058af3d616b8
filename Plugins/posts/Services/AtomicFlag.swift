import Synchronization

/// A Boolean that any thread may read and set (an `Atomic` in a class, so that `Sendable` structs can share it).
final class AtomicFlag: Sendable {
    private let value: Atomic<Bool>

    init(_ initial: Bool) {
        value = Atomic(initial)
    }

    var isSet: Bool { value.load(ordering: .relaxed) }

    func set() { value.store(true, ordering: .relaxed) }
}
