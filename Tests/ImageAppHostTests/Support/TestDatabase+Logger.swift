import ImageAppTesting
import Logging

extension TestDatabase {
    /// A logger for host components the tests build directly (pools, connections).
    static let logger = Logger(label: "tests")
}
