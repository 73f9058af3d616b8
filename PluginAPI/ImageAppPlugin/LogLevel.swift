/// A log level: the swift-log levels, with the raw values of the header's `IA_LOG_*` constants.
public enum LogLevel: Int32, Hashable, Sendable, CaseIterable {
    /// `IA_LOG_TRACE`.
    case trace = 0
    /// `IA_LOG_DEBUG`.
    case debug = 1
    /// `IA_LOG_INFO`.
    case info = 2
    /// `IA_LOG_NOTICE`.
    case notice = 3
    /// `IA_LOG_WARNING`.
    case warning = 4
    /// `IA_LOG_ERROR`.
    case error = 5
    /// `IA_LOG_CRITICAL`.
    case critical = 6
}
