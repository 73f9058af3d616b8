import Logging
import Synchronization

/// The `ia_request *` values plugins hold: checked handles, not pointers to an ``Exchange``.
///
/// A plugin may keep a request handle past completion (a late `request_complete`, a callback
/// that fires after the host's timeout). With raw object pointers that is a use after free;
/// here a handle is an index into a table of slots plus the slot's generation, packed into the
/// pointer's bits. Looking one up checks the generation, so a stale handle, even one whose slot
/// now serves another request, finds nothing and the slot answers IA_ERR_STATE.
///
/// Written by hand: no package offers a generation-checked handle table. The hot path takes no
/// lock: a lookup is one compare-and-swap on the slot's state word and one decrement. Slots are
/// allocated in chunks that are never freed, so a lookup never touches freed memory; only
/// opening and closing a handle (once per request each) take the free-list lock.
///
/// A slot's state word: generation (high 32 bits) | closed (bit 31) | users (low 31 bits).
/// `users` counts lookups in progress; the slot's strong reference to the exchange is dropped
/// by whoever sees it closed with no users (the closer, or the last user), exactly once.
final class RequestHandles: Sendable {
    /// The one table of the process (handles are plain values, so all hosts in it can share it).
    static let shared = RequestHandles()

    private static let chunkShift = 12
    private static let chunkSize = 1 << chunkShift
    /// 4096 chunks of 4096 slots: 16M requests in flight, far beyond what a process serves.
    private static let maxChunks = 4096
    private static let closedBit: UInt64 = 1 << 31
    private static let usersMask: UInt64 = (1 << 31) - 1

    /// Chunk `i` of slot states and of exchanges; filled in order and never freed.
    private nonisolated(unsafe) let stateChunks: UnsafeMutablePointer<UnsafeMutablePointer<Atomic<UInt64>>?>
    private nonisolated(unsafe) let exchangeChunks: UnsafeMutablePointer<UnsafeMutablePointer<Unmanaged<Exchange>?>?>
    /// Chunks published so far (stored after the chunk pointers, with release ordering).
    private let chunkCount = Atomic<Int>(0)
    /// Free slot indices; also serialises adding chunks.
    private let free = Mutex<[UInt32]>([])
    private let logger = Logger(label: "image-app.plugin-abi")

    init() {
        stateChunks = .allocate(capacity: Self.maxChunks)
        stateChunks.initialize(repeating: nil, count: Self.maxChunks)
        exchangeChunks = .allocate(capacity: Self.maxChunks)
        exchangeChunks.initialize(repeating: nil, count: Self.maxChunks)
    }

    /// A new handle for `exchange`; the table keeps the exchange alive until the handle is
    /// closed and no lookup is using it.
    func open(_ exchange: Exchange) -> OpaquePointer {
        let index = free.withLock { free -> UInt32 in
            if let index = free.popLast() { return index }
            let chunk = chunkCount.load(ordering: .relaxed)
            precondition(chunk < Self.maxChunks, "more than \(Self.maxChunks * Self.chunkSize) requests in flight")
            let states = UnsafeMutablePointer<Atomic<UInt64>>.allocate(capacity: Self.chunkSize)
            for slot in 0..<Self.chunkSize { (states + slot).initialize(to: Atomic(Self.closedBit)) }
            let exchanges = UnsafeMutablePointer<Unmanaged<Exchange>?>.allocate(capacity: Self.chunkSize)
            exchanges.initialize(repeating: nil, count: Self.chunkSize)
            stateChunks[chunk] = states
            exchangeChunks[chunk] = exchanges
            chunkCount.store(chunk + 1, ordering: .releasing)
            let first = UInt32(chunk << Self.chunkShift)
            free.append(contentsOf: (first + 1..<first + UInt32(Self.chunkSize)).reversed())
            return first
        }
        let (states, exchanges) = slot(index)
        exchanges.pointee = Unmanaged.passRetained(exchange)
        // The slot is free (closed, no users): open it under its current generation.
        let generation = states.pointee.load(ordering: .relaxed) >> 32
        states.pointee.store(generation << 32, ordering: .releasing)
        return Self.encode(index: index, generation: generation)
    }

    /// The exchange behind a live handle, or nil (logged) for a closed or unknown one. The
    /// returned reference keeps the exchange alive for as long as the caller holds it.
    func exchange(for handle: OpaquePointer?) -> Exchange? {
        guard let handle else { return nil }
        guard let decoded = decode(handle) else {
            logStale(handle)
            return nil
        }
        let (index, generation) = decoded
        let (states, exchanges) = slot(index)
        var word = states.pointee.load(ordering: .acquiring)
        while true {
            guard word >> 32 == generation, word & Self.closedBit == 0 else {
                logStale(handle)
                return nil
            }
            let (exchanged, original) = states.pointee.compareExchange(
                expected: word,
                desired: word + 1,
                ordering: .acquiring
            )
            if exchanged { break }
            word = original
        }
        let exchange = exchanges.pointee!.takeUnretainedValue()
        release(index, states: states, exchanges: exchanges)
        return exchange
    }

    /// Closes a handle: from now on it finds nothing. Returns false when it was closed already.
    @discardableResult
    func close(_ handle: OpaquePointer) -> Bool {
        guard let decoded = decode(handle) else { return false }
        let (index, generation) = decoded
        let (states, exchanges) = slot(index)
        var word = states.pointee.load(ordering: .relaxed)
        while true {
            guard word >> 32 == generation, word & Self.closedBit == 0 else { return false }
            let (exchanged, original) = states.pointee.compareExchange(
                expected: word,
                desired: word | Self.closedBit,
                ordering: .acquiringAndReleasing
            )
            if exchanged { break }
            word = original
        }
        if word & Self.usersMask == 0 { reclaim(index, generation: generation, states: states, exchanges: exchanges) }
        return true
    }

    // MARK: Internals

    private func slot(_ index: UInt32) -> (UnsafeMutablePointer<Atomic<UInt64>>, UnsafeMutablePointer<Unmanaged<Exchange>?>) {
        let chunk = Int(index) >> Self.chunkShift
        let offset = Int(index) & (Self.chunkSize - 1)
        return (stateChunks[chunk]! + offset, exchangeChunks[chunk]! + offset)
    }

    /// Ends one lookup; the last user of a closed slot reclaims it.
    private func release(_ index: UInt32, states: UnsafeMutablePointer<Atomic<UInt64>>, exchanges: UnsafeMutablePointer<Unmanaged<Exchange>?>) {
        let word = states.pointee.subtract(1, ordering: .acquiringAndReleasing).newValue
        if word & Self.closedBit != 0, word & Self.usersMask == 0 {
            reclaim(index, generation: word >> 32, states: states, exchanges: exchanges)
        }
    }

    /// Drops the slot's exchange and frees the slot under the next generation. The
    /// compare-and-swap makes exactly one of the closer and the last user do it.
    private func reclaim(
        _ index: UInt32,
        generation: UInt64,
        states: UnsafeMutablePointer<Atomic<UInt64>>,
        exchanges: UnsafeMutablePointer<Unmanaged<Exchange>?>
    ) {
        let next = (generation + 1) & 0xFFFF_FFFF
        guard
            states.pointee.compareExchange(
                expected: generation << 32 | Self.closedBit,
                desired: next << 32 | Self.closedBit,
                ordering: .acquiringAndReleasing
            ).exchanged
        else { return }
        let exchange = exchanges.pointee
        exchanges.pointee = nil
        free.withLock { $0.append(index) }
        exchange?.release()
    }

    /// Index + 1 in the low 32 bits (so no handle is NULL), the generation in the high 32.
    private static func encode(index: UInt32, generation: UInt64) -> OpaquePointer {
        OpaquePointer(bitPattern: UInt(generation << 32 | UInt64(index + 1)))!
    }

    private func decode(_ handle: OpaquePointer) -> (UInt32, UInt64)? {
        let bits = UInt64(UInt(bitPattern: handle))
        let low = bits & 0xFFFF_FFFF
        guard low != 0 else { return nil }
        let index = UInt32(low - 1)
        guard Int(index) >> Self.chunkShift < chunkCount.load(ordering: .acquiring) else { return nil }
        return (index, bits >> 32)
    }

    private func logStale(_ handle: OpaquePointer) {
        logger.error(
            "a plugin used a request handle after the request completed (or one the host never issued); the call returns IA_ERR_STATE",
            metadata: ["handle": "\(handle)"]
        )
    }
}
