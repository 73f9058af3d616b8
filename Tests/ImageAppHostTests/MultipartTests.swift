import Foundation
import Glibc
import ImageAppTesting
import NIOCore
import Testing

@testable import ImageAppHost

/// The host's own `multipart/form-data` parser (ABI 1.8), through the test-multipart fixture: parts in memory and
/// spooled to files, refusals (400, 413 per limit, 415), spooled files removed however the request ends, and a fuzz
/// loop that must never see a 5xx.
@Suite(.timeLimit(.minutes(12)))
struct MultipartTests {
    static let boundary = "mp-test-boundary-91f3"

    /// A host with the fixture, parts over 4 KiB spooled to a folder the test watches.
    private func start(host extra: String = "") async throws -> (HostProcess, String) {
        let uploads = try TemporaryDirectory.make() + "/uploads"
        let config = Configs.with(
            [("test-multipart", "")],
            host: "multipart_memory_bytes = 4096\nmultipart_temp_dir = \"\(uploads)\"\n\(extra)"
        )
        return (try await HostProcess.start(config: config), uploads)
    }

    /// The files in the spool folder (none when it was never made).
    private func spooled(_ directory: String) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    }

    @Test func partsInMemoryAndSpooled() async throws {
        let (host, uploads) = try await start()
        defer { Task { await host.stop() } }
        var random = SplitMix64(state: 42)
        let large = (0..<100_000).map { _ in UInt8.random(in: 0...255, using: &random) }
        let small = Array("\u{89}PNG tiny".utf8)
        let body = Self.form([
            (#"form-data; name="caption""#, nil, Array("héllo".utf8)),
            (#"form-data; name="avatar"; filename="naïve résumé.png""#, "image/png", small),
            (#"form-data; name="big"; filename="big.bin""#, "application/octet-stream", large),
            (#"form-data; name="encoded"; filename="x"; filename*=UTF-8''%E2%82%AC.txt"#, nil, []),
        ])
        let response = try await post(host, "/api/v1/test/multipart", body)
        #expect(response.status == 200, "\(response.text)")
        let parts = response.json["parts"] as? [[String: Any]] ?? []
        #expect(parts.map { $0["name"] as? String } == ["caption", "avatar", "big", "encoded"])
        #expect(parts.map { $0["filename"] as? String } == [nil, "naïve résumé.png", "big.bin", "€.txt"])
        #expect(parts.map { $0["content_type"] as? String } == [nil, "image/png", "application/octet-stream", nil])
        #expect(parts.map { $0["size"] as? Int } == [6, small.count, large.count, 0])
        #expect(parts.map { $0["spooled"] as? Bool } == [false, false, true, false])
        #expect(parts[0]["text"] as? String == "héllo")
        #expect(response.json["out_of_range_refused"] as? Bool == true)
        #expect(parts[1]["digest"] as? String == Self.fnv1a(small))
        #expect(parts[2]["digest"] as? String == Self.fnv1a(large))
        #expect(parts[2]["file_matches"] as? Bool == true)
        // The spooled file was under the configured folder while the handler ran, and is gone now.
        let path = try #require(parts[2]["path"] as? String)
        #expect(path.hasPrefix(uploads + "/"))
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(spooled(uploads).isEmpty)

        // Many parts, a quoted boundary with a space, header names in any case, and a preamble and epilogue.
        var many = Data("a preamble to ignore\r\n".utf8)
        for index in 0..<20 {
            many.append(Data("--a b:c\r\ncontent-disposition: form-data; name=f\(index)\r\n\r\nvalue \(index)\r\n".utf8))
        }
        many.append(Data("--a b:c--\r\nan epilogue\r\n".utf8))
        let manyResponse = try await host.request(
            "POST",
            "/api/v1/test/multipart",
            headers: ["Content-Type": #"Multipart/Form-Data; charset=utf-8; boundary="a b:c""#],
            body: many
        )
        #expect(manyResponse.status == 200, "\(manyResponse.text)")
        let manyParts = manyResponse.json["parts"] as? [[String: Any]] ?? []
        #expect(manyParts.map { $0["text"] as? String } == (0..<20).map { "value \($0)" })

        // A route without IA_ROUTE_MULTIPART gets its body as before and no parts.
        let plain = try await post(host, "/api/v1/test/multipart/plain", body)
        #expect(plain.status == 200, "\(plain.text)")
        #expect(plain.json["parts"] as? Int == 0)
        #expect(plain.json["count_refused"] as? Bool == true)
        await host.stop()
    }

    @Test func malformedBodiesAndOtherMediaTypes() async throws {
        let (host, uploads) = try await start()
        defer { Task { await host.stop() } }
        let valid = Self.form([(#"form-data; name="file"; filename="a.bin""#, nil, Array(repeating: 7, count: 10_000))])
        var cases: [(String, Data, String)] = [
            ("cut short inside the part", valid.prefix(5000), Self.contentType),
            ("cut short before the closing delimiter", valid.prefix(valid.count - 4), Self.contentType),
            ("empty", Data(), Self.contentType),
            ("no delimiter at all", Data("just text".utf8), Self.contentType),
            ("no boundary", valid, "multipart/form-data"),
            ("empty boundary", valid, "multipart/form-data; boundary="),
            ("unclosed quote", valid, "multipart/form-data; boundary=\"open"),
            ("boundary too long", valid, "multipart/form-data; boundary=\(String(repeating: "x", count: 71))"),
            ("another boundary", valid, "multipart/form-data; boundary=other"),
            ("no name", Self.form([("form-data", nil, [1, 2])]), Self.contentType),
            ("not form-data", Self.form([(#"attachment; name="x""#, nil, [1])]), Self.contentType),
        ]
        // A header name with a byte from 0x80 (it would trap MultipartKit's parser).
        var accented = Data("--\(Self.boundary)\r\nContent-Dispositi".utf8)
        accented.append(contentsOf: [0xC3, 0xB3])
        accented.append(Data("n: form-data; name=\"x\"\r\n\r\nhi\r\n--\(Self.boundary)--\r\n".utf8))
        cases.append(("non-ASCII header name", accented, Self.contentType))
        for (label, body, contentType) in cases {
            let response = try await host.request("POST", "/api/v1/test/multipart", headers: ["Content-Type": contentType], body: body)
            #expect(response.status == 400, "\(label): \(response.status) \(response.text)")
            #expect(response.errorCode == "invalid_multipart", "\(label): \(response.text)")
            #expect((response.json["error"] as? [String: Any])?["details"] is [String: Any], "\(label)")
        }
        for contentType in ["application/json", "text/plain", "multipart/mixed; boundary=\(Self.boundary)"] {
            let response = try await host.request("POST", "/api/v1/test/multipart", headers: ["Content-Type": contentType], body: valid)
            #expect(response.status == 415, "\(contentType): \(response.text)")
            #expect(response.errorCode == "unsupported_media_type")
        }
        let none = try await host.request("POST", "/api/v1/test/multipart", body: valid)
        #expect(none.status == 415 || none.status == 400, "\(none.text)")
        #expect(spooled(uploads).isEmpty, "\(spooled(uploads))")
        #expect(try await host.get("/healthz").status == 200)
        await host.stop()
    }

    @Test func eachLimitAnswers413() async throws {
        let (host, uploads) = try await start(host: "multipart_max_parts = 4\nmultipart_max_part_bytes = 20000\nmultipart_max_total_bytes = 60000")
        defer { Task { await host.stop() } }
        func field(_ index: Int, _ size: Int = 10) -> (String, String?, [UInt8]) {
            (#"form-data; name="f\#(index)"; filename="f.bin""#, nil, [UInt8](repeating: 1, count: size))
        }
        func expectLimit(_ path: String, _ body: Data, _ limit: String, _ maximum: Int) async throws {
            let response = try await post(host, path, body)
            #expect(response.status == 413, "\(path) \(limit): \(response.status) \(response.text)")
            #expect(response.errorCode == "payload_too_large")
            let details = (response.json["error"] as? [String: Any])?["details"] as? [String: String]
            #expect(details == ["limit": limit, "maximum": String(maximum)], "\(response.text)")
        }
        // The host's settings.
        try await expectLimit("/api/v1/test/multipart", Self.form((0..<5).map { field($0) }), "parts", 4)
        #expect(try await post(host, "/api/v1/test/multipart", Self.form((0..<4).map { field($0) })).status == 200)
        try await expectLimit("/api/v1/test/multipart", Self.form([field(0, 20001)]), "part_bytes", 20000)
        #expect(try await post(host, "/api/v1/test/multipart", Self.form([field(0, 20000)])).status == 200)
        try await expectLimit(
            "/api/v1/test/multipart",
            Self.form([field(0, 19000), field(1, 19000), field(2, 19000), field(3, 5000)]),
            "total_bytes",
            60000
        )
        // The route's own (3 parts, 1000 bytes a part, 5000 in all).
        try await expectLimit("/api/v1/test/multipart/limited", Self.form((0..<4).map { field($0) }), "parts", 3)
        try await expectLimit("/api/v1/test/multipart/limited", Self.form([field(0, 1001)]), "part_bytes", 1000)
        try await expectLimit(
            "/api/v1/test/multipart/limited",
            Self.form([field(0, 900), field(1, 900), (#"form-data; name="x""#, nil, [UInt8](repeating: 2, count: 900))]) + Data(count: 4000),
            "total_bytes",
            5000
        )
        #expect(try await post(host, "/api/v1/test/multipart/limited", Self.form([field(0, 1000), field(1, 1000), field(2, 1000)])).status == 200)
        #expect(spooled(uploads).isEmpty, "\(spooled(uploads))")
        await host.stop()
    }

    @Test func spooledFilesAreRemovedAfterATimeout() async throws {
        let (host, uploads) = try await start(host: "request_timeout_seconds = 1")
        defer { Task { await host.stop() } }
        let body = Self.form([(#"form-data; name="big"; filename="big.bin""#, nil, [UInt8](repeating: 9, count: 50_000))])
        let response = try await post(host, "/api/v1/test/multipart/slow?ms=2500", body)
        #expect(response.status == 504, "\(response.text)")
        // Gone as soon as the host answered, although the handler still runs.
        #expect(spooled(uploads).isEmpty, "\(spooled(uploads))")
        try await Task.sleep(for: .seconds(2))
        #expect(spooled(uploads).isEmpty)
        #expect(try await host.get("/healthz").status == 200)
        await host.stop()
    }

    @Test func spooledFilesAreRemovedWhenTheClientLeavesMidway() async throws {
        let (host, uploads) = try await start()
        defer { Task { await host.stop() } }
        let body = Self.form([(#"form-data; name="big"; filename="big.bin""#, nil, [UInt8](repeating: 3, count: 200_000))])
        let socket = try RawConnection(port: host.baseURL.port!)
        try socket.send(
            Data("POST /api/v1/test/multipart HTTP/1.1\r\nHost: x\r\nContent-Type: \(Self.contentType)\r\nContent-Length: \(body.count)\r\n\r\n".utf8)
        )
        try socket.send(body.prefix(60_000))
        // The part passed multipart_memory_bytes: it is being written to a file.
        let during = try await eventually({ spooled(uploads) }, until: { !$0.isEmpty })
        #expect(during.count == 1, "\(during)")
        socket.close()
        let after = try await eventually({ spooled(uploads) }, until: { $0.isEmpty })
        #expect(after.isEmpty, "\(after)")
        #expect(try await host.get("/healthz").status == 200)
        await host.stop()
    }

    /// Random and mutated bodies from a fixed seed (a failure replays): always answered below 500 with the error shape,
    /// and the host lives on.
    @Test func fuzzedBodiesNeverFailTheServer() async throws {
        let (host, uploads) = try await start()
        defer { Task { await host.stop() } }
        var random = SplitMix64(state: 0x3EED_0008)
        let valid = Self.form([
            (#"form-data; name="note""#, nil, Array("hello".utf8)),
            (#"form-data; name="file"; filename="ä.bin""#, "application/octet-stream", (0..<6000).map { UInt8($0 % 251) }),
            (#"form-data; name="tail""#, nil, Array("x".utf8)),
        ])
        var statuses: [Int: Int] = [:]
        for round in 0..<300 {
            var body = [UInt8](valid)
            var contentType = Self.contentType
            switch round % 7 {
            case 0:
                for _ in 0..<Int.random(in: 1...12, using: &random) {
                    body[Int.random(in: 0..<body.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            case 1:
                body = Array(body.prefix(Int.random(in: 0..<body.count, using: &random)))
            case 2:  // High bytes and CR/LF inserted near part headers.
                let headerStarts = [0, 200, valid.count - 300]
                let at = min(body.count, headerStarts[Int.random(in: 0..<3, using: &random)] + Int.random(in: 0..<120, using: &random))
                let pool: [UInt8] = [0x0D, 0x0A, 0x3A, 0x2D, 0x80, 0xC3, 0xFF, 0x20, 0x22, 0x3B]
                body.insert(
                    contentsOf: (0..<Int.random(in: 1...16, using: &random)).map { _ in pool[Int.random(in: 0..<pool.count, using: &random)] },
                    at: at
                )
            case 3:
                let breaks = body.indices.filter { body[$0] == 13 || body[$0] == 10 }
                body.remove(at: breaks[Int.random(in: 0..<breaks.count, using: &random)])
            case 4:
                body = (0..<Int.random(in: 0...3000, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            case 5:  // Delimiters in odd places.
                let delimiter = Array("\r\n--\(Self.boundary)".utf8) + [[0x2D], [0x0D, 0x0A], [0x80], []][Int.random(in: 0..<4, using: &random)]
                body.insert(contentsOf: delimiter, at: Int.random(in: 0..<body.count, using: &random))
            default:
                let variants = [
                    "multipart/form-data; boundary=", "multipart/form-data;;;", "multipart/form-data; boundary=\"x",
                    "multipart/form-data; boundary=\(String(repeating: "-", count: Int.random(in: 1...90, using: &random)))",
                    "multipart/form-data; boundary=\(Self.boundary); boundary=x", "multipart/form-data; boundary=\u{e9}",
                    "text/plain", "multipart/form-data; boundary=\(Self.boundary.prefix(5))",
                ]
                contentType = variants[Int.random(in: 0..<variants.count, using: &random)]
            }
            let path = round % 2 == 0 ? "/api/v1/test/multipart" : "/api/v1/test/multipart/limited"
            let response = try await host.request("POST", path, headers: ["Content-Type": contentType], body: Data(body))
            statuses[response.status, default: 0] += 1
            #expect(response.status < 500, "round \(round): \(response.status) \(response.text)\n\(host.stderr.suffix(2000))")
            if response.status >= 400 {
                #expect((response.json["error"] as? [String: Any])?["details"] is [String: Any], "round \(round): \(response.text)")
            }
        }
        #expect(statuses.keys.contains(200) && statuses.keys.contains(400) && statuses.keys.contains(413), "\(statuses)")
        #expect(try await post(host, "/api/v1/test/multipart", valid).status == 200)
        #expect(spooled(uploads).isEmpty, "\(spooled(uploads))")
        await host.stop()
    }

    /// Thousands of mutated bodies, cut into random chunks, straight through the reader (scanner and MultipartKit's
    /// parser) in this process: a trap would end the test run. Each ends parsed or refused, and no file stays behind.
    @Test func readerSurvivesMutatedBodiesInProcess() throws {
        let uploads = try TemporaryDirectory.make() + "/uploads"
        var host = HostSettings()
        host.multipartMemoryBytes = 64
        host.multipartTempDirectory = uploads
        let settings = MultipartSettings(host)
        let limits = MultipartLimits(maxParts: 8, maxPartBytes: 4000, maxTotalBytes: 20000)
        let valid = [UInt8](
            Self.form([
                (#"form-data; name="a""#, nil, Array("short".utf8)),
                (#"form-data; name="b"; filename="b.bin""#, "application/octet-stream", (0..<300).map { UInt8($0 % 256) }),
                (#"form-data; name="c""#, nil, Array("\r\n--\r\n".utf8)),
            ])
        )
        var random = SplitMix64(state: 0xF0F0_0008)
        var outcomes: [String: Int] = [:]
        for _ in 0..<3000 {
            var body = valid
            for _ in 0..<Int.random(in: 0...6, using: &random) {
                let at = Int.random(in: 0..<body.count, using: &random)
                switch Int.random(in: 0..<4, using: &random) {
                case 0: body[at] = UInt8.random(in: 0...255, using: &random)
                case 1: body.insert([0x80, 0xC3, 0xFF, 0x0D, 0x0A, 0x3A, 0x2D][Int.random(in: 0..<7, using: &random)], at: at)
                case 2: body.remove(at: at)
                default: body.insert(contentsOf: Array("\r\n--\(Self.boundary)".utf8), at: at)
                }
                if body.isEmpty { break }
            }
            let reader = MultipartReader(boundary: Self.boundary, limits: limits, settings: settings)
            var failure: MultipartFailure?
            var offset = 0
            while offset < body.count, failure == nil {
                let length = min(body.count - offset, Int.random(in: 1...200, using: &random))
                failure = reader.consume(ByteBuffer(bytes: body[offset..<(offset + length)]))
                offset += length
            }
            let result: Result<MultipartBody, MultipartFailure> = failure.map { .failure($0) } ?? reader.finish()
            switch result {
            case .success(let form):
                outcomes["parsed", default: 0] += 1
                form.removeFiles()
            case .failure(let failure):
                outcomes["\(failure)".prefix { $0 != "(" }.description, default: 0] += 1
                reader.discard()
            }
        }
        #expect(outcomes["parsed", default: 0] > 100 && outcomes["malformed", default: 0] > 100, "\(outcomes)")
        #expect(outcomes["storage"] == nil, "\(outcomes)")
        #expect(spooled(uploads).isEmpty, "\(spooled(uploads))")
    }

    /// The streaming guard sees a non-ASCII header name however the body is cut into chunks, and nothing in bodies.
    @Test func scannerFindsNonASCIIHeaderNamesAcrossChunks() {
        let bad = Array("pre\r\n--b\r\nName: v\r\nNa".utf8) + [0xC3, 0xB3] + Array("me: v\r\n\r\nbody\r\n--b--".utf8)
        let good = Array("--b\r\nName: v\u{e9}\r\n\r\n\u{e9}body: \u{e9}\r\n--b--".utf8)
        for split in 0...bad.count {
            var scanner = MultipartScanner(boundary: Array("b".utf8))
            let first = bad[..<split].withUnsafeBytes { scanner.scan($0) }
            let second = first && bad[split...].withUnsafeBytes { scanner.scan($0) }
            #expect(!second, "split at \(split)")
        }
        for split in 0...good.count {
            var scanner = MultipartScanner(boundary: Array("b".utf8))
            #expect(good[..<split].withUnsafeBytes { scanner.scan($0) } && good[split...].withUnsafeBytes { scanner.scan($0) })
            #expect(scanner.isClosed)
        }
        // After the closing delimiter nothing is read, so nothing is refused.
        var closed = MultipartScanner(boundary: Array("b".utf8))
        let epilogue = good + Array("\r\n--b\r\nNa".utf8) + [0xC3, 0xB3] + Array("me: v\r\n".utf8)
        #expect(epilogue.withUnsafeBytes { closed.scan($0) })
    }

    // MARK: Helpers

    static var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    /// A multipart/form-data body of parts (Content-Disposition value, Content-Type, bytes).
    static func form(_ parts: [(disposition: String, type: String?, bytes: [UInt8])]) -> Data {
        MultipartForm.body(parts, boundary: boundary)
    }

    private func post(_ host: HostProcess, _ path: String, _ body: Data) async throws -> HTTPResult {
        try await host.request("POST", path, headers: ["Content-Type": Self.contentType], body: body)
    }

    static func fnv1a(_ bytes: [UInt8]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
