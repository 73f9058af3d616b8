import ContentSniffing
import Dispatch
import ImageAppTesting
import Synchronization
import Testing

/// The libmagic wrapper: images recognised by their bytes, everything else not, and safe to share between threads.
@Suite
struct ContentSniffingTests {
    private let sniffer: ContentSniffer

    init() throws {
        sniffer = try ContentSniffer()
    }

    @Test(arguments: [
        (ImageFixtures.redPixelPNG, "image/png"),
        (ImageFixtures.jpegHeader, "image/jpeg"),
        (ImageFixtures.gif, "image/gif"),
        (ImageFixtures.webp, "image/webp"),
    ])
    func recognisesImageSignatures(bytes: [UInt8], expected: String) {
        #expect(sniffer.mimeType(of: bytes) == expected)
    }

    @Test func theContentCountsNotTheClaim() {
        // Text that starts like nothing in particular, an SVG and an HTML page are not the raster images they may be
        // named as.
        #expect(sniffer.mimeType(of: Array("hello, this is plain text\n".utf8)) == "text/plain")
        #expect(sniffer.mimeType(of: ImageFixtures.svg) == "image/svg+xml")
        #expect(sniffer.mimeType(of: Array("<!DOCTYPE html><html><body>x</body></html>".utf8)) == "text/html")
    }

    @Test func randomBytesAreNotImages() {
        var random = SplitMix64(state: 42)
        for length in [1, 7, 64, 4096, 100_000] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            let type = sniffer.mimeType(of: bytes)
            #expect(type != nil)
            #expect(!["image/png", "image/jpeg", "image/gif", "image/webp"].contains(type ?? ""), "\(length) bytes: \(type ?? "nil")")
        }
    }

    @Test func emptyInputIsFine() {
        #expect(sniffer.mimeType(of: []) == "application/x-empty")
        #expect(sniffer.mimeType(of: UnsafeRawBufferPointer(start: nil, count: 0)) == "application/x-empty")
    }

    @Test func unsafeBytesAndArraysAgree() {
        let type = ImageFixtures.gif.withUnsafeBytes { sniffer.mimeType(of: $0) }
        #expect(type == "image/gif")
    }

    /// Many threads at once on one sniffer, more than it keeps idle handles: every answer is right.
    @Test func concurrentUseIsSafe() throws {
        let sniffer = try ContentSniffer(maximumIdleHandles: 2)
        let samples: [([UInt8], String)] = [
            (ImageFixtures.redPixelPNG, "image/png"),
            (ImageFixtures.jpegHeader, "image/jpeg"),
            (ImageFixtures.gif, "image/gif"),
            (ImageFixtures.webp, "image/webp"),
            (Array("just some words\n".utf8), "text/plain"),
        ]
        let wrong = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 400) { index in
            let (bytes, expected) = samples[index % samples.count]
            if sniffer.mimeType(of: bytes) != expected {
                wrong.add(1, ordering: .relaxed)
            }
        }
        #expect(wrong.load(ordering: .relaxed) == 0)
    }
}
