/// A parsed route path: literal segments, `{name}` parameters and an optional trailing
/// `{name...}` that captures the rest of the path.
struct RoutePattern: Sendable, Equatable, CustomStringConvertible {
    enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
        case catchAll(String)
    }

    let segments: [Segment]
    /// The text as registered, e.g. `/api/v1/users/{handle}` (also the metrics label).
    let text: String

    /// Parameter names in path order.
    var parameterNames: [String] {
        segments.compactMap {
            switch $0 {
            case .literal: nil
            case .parameter(let name), .catchAll(let name): name
            }
        }
    }

    /// The pattern with parameter names erased: two routes with the same shape collide.
    var shape: String {
        "/"
            + segments.map {
                switch $0 {
                case .literal(let text): text
                case .parameter: "{}"
                case .catchAll: "{...}"
                }
            }.joined(separator: "/")
    }

    var description: String { text }

    /// Parses a route path, or explains what is wrong with it.
    static func parse(_ text: String) -> Result<RoutePattern, RoutePatternError> {
        guard text.hasPrefix("/") else { return .failure(.init("must start with '/'")) }
        guard text.utf8.count <= 1024 else { return .failure(.init("is longer than 1024 bytes")) }
        if text == "/" { return .success(RoutePattern(segments: [], text: text)) }
        let parts = text.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        var segments: [Segment] = []
        var names: Set<String> = []
        for (index, part) in parts.enumerated() {
            guard !part.isEmpty else { return .failure(.init("has an empty segment")) }
            if part.hasPrefix("{") {
                guard part.hasSuffix("}") else { return .failure(.init("has an unclosed '{' in '\(part)'")) }
                var name = part.dropFirst().dropLast()
                let isCatchAll = name.hasSuffix("...")
                if isCatchAll { name = name.dropLast(3) }
                guard isValidParameterName(name) else {
                    return .failure(.init("has an invalid parameter name '\(name)' (use letters, digits and '_')"))
                }
                guard names.insert(String(name)).inserted else {
                    return .failure(.init("repeats the parameter '\(name)'"))
                }
                if isCatchAll {
                    guard index == parts.count - 1 else { return .failure(.init("has '{\(name)...}' before the last segment")) }
                    segments.append(.catchAll(String(name)))
                } else {
                    segments.append(.parameter(String(name)))
                }
            } else {
                guard !part.contains("{"), !part.contains("}") else {
                    return .failure(.init("mixes text and a parameter in '\(part)'"))
                }
                guard !part.contains("?"), !part.contains("#"), !part.contains("%") else {
                    return .failure(.init("contains '?', '#' or '%' in '\(part)'"))
                }
                segments.append(.literal(String(part)))
            }
        }
        return .success(RoutePattern(segments: segments, text: text))
    }

    private static func isValidParameterName(_ name: Substring) -> Bool {
        !name.isEmpty && name.count <= 64
            && name.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x41 && $0 <= 0x5a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5f }
    }
}

/// Why a route path was refused.
struct RoutePatternError: Error, CustomStringConvertible {
    let reason: String
    init(_ reason: String) { self.reason = reason }
    var description: String { reason }
}
