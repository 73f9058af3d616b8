import ImageAppTesting
import Testing

@testable import ImageAppHost

/// Random and mutated inputs for every parser the host exposes to untrusted text: none may
/// crash, and each must either parse or report a clear error.
struct ParserFuzzTests {

    private static let alphabet = Array("/{}.%-_aZ09?#&=+ :[]\"'\\\n\t\u{0}é€😀")

    private func randomText(_ rng: inout SplitMix64, maxLength: Int) -> String {
        let length = Int.random(in: 0...maxLength, using: &rng)
        return String((0..<length).map { _ in Self.alphabet.randomElement(using: &rng)! })
    }

    @Test func routePatternsAndMatchingNeverCrash() {
        var rng = SplitMix64(state: 0xC0FFEE)
        let table = RouteTable<Int>()
        var accepted = 0
        for index in 0..<5000 {
            let text = "/" + randomText(&rng, maxLength: 24)
            if case .success(let pattern) = RoutePattern.parse(text) {
                accepted += 1
                #expect(pattern.text == text)
                _ = table.insert(method: "GET", pattern: pattern, value: index)
            }
            switch table.match(method: "GET", path: "/" + randomText(&rng, maxLength: 24)) {
            case .found(let entry, let parameters):
                #expect(Set(parameters.keys) == Set(entry.pattern.parameterNames))
            case .methodNotAllowed, .notFound:
                break
            }
        }
        #expect(accepted > 0)
    }

    @Test func percentDecodingNeverCrashesAndIsIdentityWithoutEscapes() {
        var rng = SplitMix64(state: 42)
        for _ in 0..<5000 {
            let text = randomText(&rng, maxLength: 32)
            let decoded = PercentDecoding.decode(Substring(text), plusAsSpace: true)
            if !text.contains("%") && !text.contains("+") { #expect(decoded == text) }
            _ = PercentDecoding.queryValue(Substring(text), named: "a")
        }
    }

    @Test func mutatedConfigurationsParseOrFailWithAConfigError() {
        let valid = """
            [host]
            listen = "127.0.0.1:8080"
            worker_threads = 4
            trusted_proxies = ["10.0.0.0/8"]

            [plugins.example-c]
            enabled = true
            greeting = "Hello"
            [plugins.example-c.nested]
            port = 25
            """
        var rng = SplitMix64(state: 7)
        var failures = 0
        for _ in 0..<1500 {
            var characters = Array(valid)
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let position = Int.random(in: 0..<characters.count, using: &rng)
                switch Int.random(in: 0..<3, using: &rng) {
                case 0: characters.remove(at: position)
                case 1: characters.insert(Self.alphabet.randomElement(using: &rng)!, at: position)
                default: characters[position] = Self.alphabet.randomElement(using: &rng)!
                }
            }
            do {
                _ = try HostConfiguration.parse(text: String(characters), path: "fuzz.conf")
            } catch {
                failures += 1
                #expect(error.file == "fuzz.conf")
                #expect(!error.message.isEmpty)
            }
        }
        #expect(failures > 0)
    }

    @Test func addressParsersNeverCrash() {
        var rng = SplitMix64(state: 99)
        for _ in 0..<5000 {
            let text = randomText(&rng, maxLength: 20)
            _ = CIDR(parsing: text)
            _ = ListenAddress(parsing: text)
            _ = RequestID.accept(text)
        }
        #expect(ListenAddress(parsing: "[::1]:0") == ListenAddress(host: "::1", port: 0))
    }
}
