public import ImageAppPlugin

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Pushing to a user's open streams (`GET /api/v1/stream`) from any plugin, in any process: one call, no dependency
/// on the `realtime` plugin's code, never blocking (callable from any thread, non-blocking routes included).
///
/// Messages have the PRODUCT.md "Realtime message" shape `{"type", "data"}`: one SSE `data:` line with the type as
/// the SSE `event:`. A user with no open stream anywhere costs one Redis `PUBLISH` and no fan-out; delivery is at
/// most once (clients refetch what they need after reconnecting).
///
/// ```swift
/// try RealtimePush.push(host, to: userID, type: "unread_count", data: ["count": 3])
/// ```
public enum RealtimePush {
    /// The message types PRODUCT.md defines.
    public enum MessageType {
        public static let notification = "notification"
        public static let unreadCount = "unread_count"
        public static let feedPost = "feed.post"
        public static let postCounts = "post.counts"
    }

    /// The channel of `userID`'s streams. Only `realtime` subscribes streams to it: to its owner's, after
    /// authenticating them.
    public static func userChannel(_ userID: Int64) -> String { "realtime.user:\(userID)" }

    /// The channel of the streams opened with one session (the session token's base64url SHA-256).
    public static func sessionChannel(_ tokenHash: String) -> String { "realtime.session:\(tokenHash)" }

    /// Sends `{"type": type, "data": data}` to every open stream of `userID`, in every instance.
    ///
    /// - Parameters:
    ///   - data: Encoded with snake_case keys, like responses.
    /// - Throws: ``PluginError`` when encoding fails, the host lacks ABI 1.12, or its publish queue is full.
    public static func push(_ host: PluginHost, to userID: Int64, type: String, data: some Encodable) throws {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let encoded = try encoder.encode(data)
        try push(host, to: userID, type: type, json: String(decoding: encoded, as: UTF8.self))
    }

    /// As ``push(_:to:type:data:)`` with `data` already JSON.
    public static func push(_ host: PluginHost, to userID: Int64, type: String, json: String) throws(PluginError) {
        try host.publish(channel: userChannel(userID), event: type, data: message(type: type, json: json))
    }

    /// `{"type": type, "data": json}`.
    public static func message(type: String, json: String) -> String {
        var quoted = ""
        for scalar in type.unicodeScalars {
            switch scalar {
            case "\"": quoted += "\\\""
            case "\\": quoted += "\\\\"
            case _ where scalar.value < 0x20: quoted += "\\u00" + String(scalar.value, radix: 16).leftPadded(to: 2)
            default: quoted.unicodeScalars.append(scalar)
            }
        }
        return "{\"type\":\"\(quoted)\",\"data\":\(json)}"
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
