import Foundation
import Logging

/// Process-wide logging: swift-log with a text or JSON handler on standard error.
public enum LoggingSetup {
    /// Bootstraps swift-log once. Later calls are ignored (swift-log allows one bootstrap).
    public static func bootstrap(level: String, format: String) {
        let logLevel = Logger.Level(rawValue: level) ?? .info
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = format == "json" ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = logLevel
            return handler
        }
    }
}

/// One JSON object per line: `{"ts":..,"level":..,"label":..,"message":..,<metadata>}`.
struct JSONLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .info
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields = metadata
        if let extra = event.metadata { fields.merge(extra) { $1 } }
        var line = "{\"ts\":\(JSONText.quote(Date().formatted(.iso8601)))"
        line += ",\"level\":\(JSONText.quote(event.level.rawValue)),\"label\":\(JSONText.quote(label))"
        line += ",\"message\":\(JSONText.quote(event.message.description))"
        for key in fields.keys.sorted() where !["ts", "level", "label", "message"].contains(key) {
            line += ",\(JSONText.quote(key)):\(JSONText.quote(fields[key]!.description))"
        }
        line += "}\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}
