/// Routes of every plugin (and the host's own), matched by a segment trie.
///
/// Hand-written rather than Hummingbird's router because the host must refuse colliding routes
/// from different plugins at load time, answer 405 with `Allow`, and hand path parameters to C
/// code by name — none of which the router's public API offers.
final class RouteTable<Value: Sendable>: @unchecked Sendable {
    // @unchecked: mutated only while plugins load (single lifecycle thread), read-only once
    // the server starts; the server starts after the last mutation.

    struct Entry: Sendable {
        let method: String
        let pattern: RoutePattern
        let value: Value
    }

    enum Match {
        case found(Entry, parameters: [String: String])
        case methodNotAllowed(allowed: [String])
        case notFound
    }

    private final class Node {
        var literals: [String: Node] = [:]
        var parameter: Node?
        var catchAll: [String: Entry] = [:]
        var handlers: [String: Entry] = [:]
    }

    private let root = Node()
    private(set) var entries: [Entry] = []

    /// Adds a route; returns the entry it collides with instead when the method and shape are taken.
    func insert(method: String, pattern: RoutePattern, value: Value) -> Entry? {
        var node = root
        let entry = Entry(method: method, pattern: pattern, value: value)
        for segment in pattern.segments {
            switch segment {
            case .literal(let text):
                if node.literals[text] == nil { node.literals[text] = Node() }
                node = node.literals[text]!
            case .parameter:
                if node.parameter == nil { node.parameter = Node() }
                node = node.parameter!
            case .catchAll:
                if let existing = node.catchAll[method] { return existing }
                node.catchAll[method] = entry
                entries.append(entry)
                return nil
            }
        }
        if let existing = node.handlers[method] { return existing }
        node.handlers[method] = entry
        entries.append(entry)
        return nil
    }

    /// Finds the route for `method` and a raw (percent-encoded) path. Literal segments win over
    /// parameters, parameters over a catch-all; a HEAD request falls back to GET.
    func match(method: String, path: String) -> Match {
        let segments: [Substring] = path == "/" ? [] : path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        var values: [Substring] = []
        guard let (node, catchAllStart) = find(root, segments[...], &values) else {
            return .notFound
        }
        let handlers = catchAllStart == nil ? node.handlers : node.catchAll
        let entry = handlers[method] ?? (method == "HEAD" ? handlers["GET"] : nil)
        guard let entry else {
            var allowed = Set(handlers.keys)
            if allowed.contains("GET") { allowed.insert("HEAD") }
            return .methodNotAllowed(allowed: allowed.sorted())
        }
        var parameters: [String: String] = [:]
        let names = entry.pattern.parameterNames
        for (index, name) in names.enumerated() {
            if index == names.count - 1, let start = catchAllStart {
                parameters[name] = segments[start...].map { PercentDecoding.decode($0) }.joined(separator: "/")
            } else if index < values.count {
                parameters[name] = PercentDecoding.decode(values[index])
            }
        }
        return .found(entry, parameters: parameters)
    }

    /// Depth-first search with backtracking; returns the node and, for a catch-all, where it starts.
    private func find(_ node: Node, _ rest: ArraySlice<Substring>, _ values: inout [Substring]) -> (Node, Int?)? {
        guard let segment = rest.first else {
            if !node.handlers.isEmpty { return (node, nil) }
            return nil
        }
        if let child = node.literals[PercentDecoding.decode(segment)], let found = find(child, rest.dropFirst(), &values) {
            return found
        }
        if let child = node.parameter, !segment.isEmpty {
            values.append(segment)
            if let found = find(child, rest.dropFirst(), &values) { return found }
            values.removeLast()
        }
        if !node.catchAll.isEmpty, !segment.isEmpty {
            return (node, rest.startIndex)
        }
        return nil
    }
}
