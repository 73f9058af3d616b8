import PluginSupport
import Testing

/// The byte scanner behind feed pages' cached id lists: exact on what it writes, strict on anything else, and never
/// a crash.
struct DecimalListTests {
    @Test(arguments: [
        ("", [Int64]()),
        ("7", [7]),
        ("387106911712968718,1,42", [387_106_911_712_968_718, 1, 42]),
        ("9223372036854775807", [Int64.max]),
    ])
    func readsLists(_ text: String, _ expected: [Int64]) {
        #expect(DecimalList.parse(Array(text.utf8)) == expected)
        #expect(DecimalList.text(expected) == text)
    }

    @Test(arguments: ["0", "1,,2", ",1", "1,", "1 ,2", "-1", "+1", "1a", "9223372036854775808", "99999999999999999999", "１"])
    func refusesAnythingElse(_ text: String) {
        #expect(DecimalList.parse(Array(text.utf8)) == nil)
    }

    @Test func agreesWithTheStandardLibraryOnRandomInput() {
        var random = SystemRandomNumberGenerator()
        let alphabet = Array("0123456789,-a ".utf8)
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...24, using: &random)
            let bytes = (0..<length).map { _ in alphabet.randomElement(using: &random)! }
            let text = String(decoding: bytes, as: UTF8.self)
            let parts = text.split(separator: ",", omittingEmptySubsequences: false)
            let reference: [Int64]? =
                text.isEmpty
                ? []
                : parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) && (Int64($0) ?? 0) > 0 }
                    ? parts.map { Int64($0)! } : nil
            #expect(DecimalList.parse(bytes) == reference, "\(text)")
        }
    }
}
