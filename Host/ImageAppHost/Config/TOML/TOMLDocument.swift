/// A parsed TOML document.
///
/// Parsed by ``TOMLParser`` (our own TOML 1.0 parser) rather than a library so that malformed
/// input is always a ``TOMLSyntaxError`` and never a crash, and so every key keeps its line.
struct TOMLDocument: Sendable {
    /// The root table.
    let root: [String: ConfigValue]
    /// 1-based line where each key or table was defined, by key path from the root
    /// (`["plugins", "example-c", "greeting"]`). A `[table]` header's path maps to the header line;
    /// for an array of tables `[[x]]` the path `["x"]` maps to the first header's line, and keys inside
    /// its elements map to their first occurrence. Tables created only as parents of a header
    /// (`plugins` for `[plugins.x]`) map to that header until defined explicitly.
    let lines: [[String]: Int]
    /// Paths of explicit `[table]` / `[[array]]` headers in order of first appearance.
    let tableOrder: [[String]]

    /// Parses TOML 1.0 text.
    /// - Throws: ``TOMLSyntaxError`` with the line and column of the first problem.
    static func parse(_ text: String) throws(TOMLSyntaxError) -> TOMLDocument {
        var parser = TOMLParser(text: text)
        return try parser.parseDocument()
    }
}
