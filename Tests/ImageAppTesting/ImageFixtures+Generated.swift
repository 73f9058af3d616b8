import Foundation

// Real images made with Pillow (`make_images.py`), and Pillow's reading of the images the server answers with
// (`describe_image.py`): a check of the pipeline's output that does not go through libvips, which made it.

extension ImageFixtures {
    /// The folder of the generated images, made once per test process.
    private static let directory: String = {
        let folder = NSTemporaryDirectory() + "imageapp-image-fixtures-\(getpid())"
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script("make_images.py"), folder]
        try? process.run()
        process.waitUntilExit()
        precondition(process.terminationStatus == 0, "make_images.py failed: is Pillow installed (scripts/test installs it)?")
        return folder
    }()

    /// The bytes of generated image `name`: `plain.jpg` (1600×1200), `exif6.jpg` (1200×800 stored, EXIF orientation 6,
    /// a camera make `TestCam` and a GPS position), `icc.jpg`, `alpha.png`, `small.png` (300×200), `photo.webp`
    /// (1400×700), `anim.gif`, `big40mp.jpg`, `bomb.png` (20,000² pixels in a few hundred KB), their headers alone
    /// `big40mp-header.jpg` and `bomb-header.png`, `12mp.jpg`,
    /// `truncated.jpg`, `text.jpg` (text), `polyglot.jpg`, `polyglot.html.jpg`.
    public static func generated(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)))
    }

    /// What Pillow reads in `bytes`.
    public static func describe(_ bytes: [UInt8]) async throws -> ImageDescription {
        let file = NSTemporaryDirectory() + "imageapp-describe-\(UUID().uuidString)"
        try Data(bytes).write(to: URL(fileURLWithPath: file))
        defer { try? FileManager.default.removeItem(atPath: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script("describe_image.py"), file]
        let output = try await process.runToCompletion()
        guard process.terminationStatus == 0, let json = output.split(separator: "\n").last else {
            throw ImageDescription.Unreadable(output: output)
        }
        return try JSONDecoder().decode(ImageDescription.self, from: Data(json.utf8))
    }

    /// The path of a script next to this file.
    private static func script(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(name).path
    }
}
