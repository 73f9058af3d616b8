public import Foundation

/// Runs blocking `work` (a child process, a long wait) on a Dispatch thread and returns its result: Swift's
/// cooperative pool has only as many threads as cores, and every test running in parallel needs them.
public func offCooperativePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result(catching: work)) }
    }
}

extension Process {
    /// Starts the process with standard output and error in one pipe and waits for it to exit without holding a
    /// thread of the cooperative pool (see ``offCooperativePool(_:)``). Returns what it wrote.
    public func runToCompletion() async throws -> String {
        let output = Pipe()
        standardOutput = output
        standardError = output
        try run()
        let process = self
        return try await offCooperativePool {
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return String(decoding: data, as: UTF8.self)
        }
    }
}
