public import Testing

/// Calls `fetch` until `done` holds for what it returns, every `interval` for up to `timeout`, and returns the last
/// result (the test's `#expect` on it says what was wrong): for effects that arrive a moment after the answer
/// (pub/sub between instances, workers, in-process events, mail). It returns as soon as `done` holds, so a generous
/// timeout costs nothing when all is well and keeps a loaded machine from failing the test.
public func eventually<T>(
    timeout: Duration = .seconds(10),
    interval: Duration = .milliseconds(20),
    _ fetch: () async throws -> T,
    until done: (T) throws -> Bool
) async throws -> T {
    let deadline = ContinuousClock.now + timeout
    var result = try await fetch()
    while try !done(result), ContinuousClock.now < deadline {
        try await Task.sleep(for: interval)
        result = try await fetch()
    }
    return result
}

/// Calls `check` until it gives a value, every `interval` for up to `timeout`, and returns that value; records an
/// issue at the caller and throws when none came in time.
public func eventually<T>(
    timeout: Duration = .seconds(10),
    interval: Duration = .milliseconds(20),
    sourceLocation: SourceLocation = #_sourceLocation,
    _ check: () async throws -> T?
) async throws -> T {
    let deadline = ContinuousClock.now + timeout
    while true {
        if let value = try await check() { return value }
        guard ContinuousClock.now < deadline else {
            Issue.record("timed out after \(timeout) waiting for a value", sourceLocation: sourceLocation)
            throw HostProcessError(message: "timed out waiting")
        }
        try await Task.sleep(for: interval)
    }
}
