/// Calls `fetch` until `done` holds for what it returns, at most `attempts` times 20 ms apart, and returns the last
/// result: for effects that arrive a moment after the answer (pub/sub between instances, workers, in-process events).
func eventually<T>(
    attempts: Int = 100,
    _ fetch: () async throws -> T,
    until done: (T) -> Bool
) async throws -> T {
    var result = try await fetch()
    for _ in 1..<max(attempts, 1) where !done(result) {
        try await Task.sleep(for: .milliseconds(20))
        result = try await fetch()
    }
    return result
}
