/// A TOML syntax or structure error, with the position an operator needs to fix it.
struct TOMLSyntaxError: Error, Sendable, CustomStringConvertible {
    /// 1-based line of the problem.
    let line: Int
    /// 1-based column, counted in Unicode scalars.
    let column: Int
    /// A human sentence, e.g. "expected '=' after the key 'listen' but found ':'".
    let message: String

    var description: String { "line \(line), column \(column): \(message)" }
}
