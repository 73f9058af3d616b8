// swift-tools-version: 6.1
//
// Image App: a plugin-hosting image-sharing server. `swift build` builds the host
// (`image-app`) and every plugin as a shared library next to it.
import PackageDescription

let package = Package(
    name: "image-app",
    products: [
        .executable(name: "image-app", targets: ["ImageApp"]),
        // The C ABI and the Swift SDK, for plugins built out of tree.
        .library(name: "CImageAppPlugin", targets: ["CImageAppPlugin"]),
        .library(name: "ImageAppPlugin", targets: ["ImageAppPlugin"]),
        // Plugins: one dynamic library each, loaded with dlopen.
        .library(name: "example-c", type: .dynamic, targets: ["ExampleCPlugin"]),
        .library(name: "example-swift", type: .dynamic, targets: ["ExampleSwiftPlugin"]),
        .library(name: "storage-fs", type: .dynamic, targets: ["StorageFSPlugin"]),
        .library(name: "auth", type: .dynamic, targets: ["AuthPlugin"]),
        .library(name: "profiles", type: .dynamic, targets: ["ProfilesPlugin"]),
        .library(name: "ratelimit", type: .dynamic, targets: ["RateLimitPlugin"]),
        .library(name: "realtime", type: .dynamic, targets: ["RealtimePlugin"]),
        .library(name: "media", type: .dynamic, targets: ["MediaPlugin"]),
        .library(name: "posts", type: .dynamic, targets: ["PostsPlugin"]),
        .library(name: "likes", type: .dynamic, targets: ["LikesPlugin"]),
        .library(name: "feed", type: .dynamic, targets: ["FeedPlugin"]),
        .library(name: "comments", type: .dynamic, targets: ["CommentsPlugin"]),
        .library(name: "follows", type: .dynamic, targets: ["FollowsPlugin"]),
        .library(name: "trending", type: .dynamic, targets: ["TrendingPlugin"]),
        .library(name: "notifications", type: .dynamic, targets: ["NotificationsPlugin"]),
        .library(name: "web", type: .dynamic, targets: ["WebPlugin"]),
        // Test fixtures: plugins that must be refused, and ones built against the frozen v1.0 and v1.7 headers.
        .library(name: "test-abi-v1-0", type: .dynamic, targets: ["TestPluginABIv1_0"]),
        .library(name: "test-no-entry", type: .dynamic, targets: ["TestPluginNoEntry"]),
        .library(name: "test-abi-major", type: .dynamic, targets: ["TestPluginABIMajor"]),
        .library(name: "test-abi-minor", type: .dynamic, targets: ["TestPluginABIMinor"]),
        .library(name: "test-init-fails", type: .dynamic, targets: ["TestPluginInitFails"]),
        .library(name: "test-unknown-dep", type: .dynamic, targets: ["TestPluginUnknownDep"]),
        .library(name: "test-dup-route", type: .dynamic, targets: ["TestPluginDupRoute"]),
        .library(name: "test-data", type: .dynamic, targets: ["TestPluginData"]),
        .library(name: "test-blobs", type: .dynamic, targets: ["TestPluginBlobs"]),
        .library(name: "test-redis", type: .dynamic, targets: ["TestPluginRedis"]),
        .library(name: "test-swift-data", type: .dynamic, targets: ["TestPluginSwiftData"]),
        .library(name: "test-abi-v1-7", type: .dynamic, targets: ["TestPluginABIv1_7"]),
        .library(name: "test-abi-hygiene", type: .dynamic, targets: ["TestPluginABIHygiene"]),
        .library(name: "test-multipart", type: .dynamic, targets: ["TestPluginMultipart"]),
        .library(name: "test-pending", type: .dynamic, targets: ["TestPluginPending"]),
        .library(name: "test-push", type: .dynamic, targets: ["TestPluginPush"]),
        .library(name: "test-form-and-service", type: .dynamic, targets: ["TestPluginFormAndService"]),
        .library(name: "test-media-ingest", type: .dynamic, targets: ["TestPluginMediaIngest"]),
        // Benchmarks: a bare Hummingbird server with the example route; the data-services plugin.
        .executable(name: "bare-hummingbird", targets: ["BareHummingbird"]),
        .library(name: "bench-data", type: .dynamic, targets: ["BenchDataPlugin"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.35.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
    ],
    targets: [
        // MARK: Plugin API (the contract)
        .target(name: "CImageAppPlugin", path: "PluginAPI/CImageAppPlugin"),
        .target(name: "ImageAppPlugin", dependencies: ["CImageAppPlugin"], path: "PluginAPI/ImageAppPlugin"),

        // MARK: Host
        // C libraries the host wraps (Debian: libpq-dev, libhiredis-dev).
        .systemLibrary(name: "CLibPQ", path: "Host/CLibPQ", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CHiredis", path: "Host/CHiredis", providers: [.apt(["libhiredis-dev"])]),
        .target(
            name: "ImageAppHost",
            dependencies: [
                "CImageAppPlugin",
                "CLibPQ",
                "CHiredis",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "MultipartKit", package: "multipart-kit"),
            ],
            path: "Host/ImageAppHost"
        ),
        .executableTarget(
            name: "ImageApp",
            dependencies: [
                "ImageAppHost",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Host/ImageApp"
        ),

        // MARK: Plugins
        .target(name: "ExampleCPlugin", dependencies: ["CImageAppPlugin"], path: "Plugins/example-c", publicHeadersPath: "."),
        .target(name: "ExampleSwiftPlugin", dependencies: ["ImageAppPlugin"], path: "Plugins/example-swift"),
        .target(
            name: "StorageFSPlugin",
            dependencies: ["CImageAppPlugin"],
            path: "Plugins/storage-fs",
            publicHeadersPath: ".",
            linkerSettings: [.linkedLibrary("crypto")]  // OpenSSL's SHA-256 for content-addressed names
        ),
        // A plugin's `Contract/` folder is its own target (event, command and query names and their payloads), so
        // that other plugins depend on the contract alone; the plugin target excludes it. Layout: docs/PLUGINS.md.
        .target(
            name: "AuthPlugin",
            dependencies: ["ImageAppPlugin", "AuthContract", "PluginSupport", "PluginCrypto"],
            path: "Plugins/auth",
            exclude: ["Contract"]
        ),
        .target(name: "AuthContract", path: "Plugins/auth/Contract"),
        .target(
            name: "ProfilesPlugin",
            dependencies: [
                "ImageAppPlugin",
                "AuthContract",
                "ProfilesContract",
                "PluginSupport",
                "ImageProcessing",
            ],
            path: "Plugins/profiles",
            exclude: ["Contract"]
        ),
        .target(name: "ProfilesContract", dependencies: ["AuthContract"], path: "Plugins/profiles/Contract"),
        .target(name: "RateLimitPlugin", dependencies: ["ImageAppPlugin", "PluginSupport"], path: "Plugins/ratelimit"),
        // Realtime streams (ABI 1.12): the plugin, and the contract other plugins push through.
        .target(
            name: "RealtimePlugin",
            dependencies: ["ImageAppPlugin", "AuthContract", "RealtimeContract"],
            path: "Plugins/realtime",
            exclude: ["Contract"]
        ),
        .target(name: "RealtimeContract", dependencies: ["ImageAppPlugin"], path: "Plugins/realtime/Contract"),
        // The web UI: ES modules and CSS under Assets/, copied as the target's resources and served with hashed names.
        .target(
            name: "WebPlugin",
            dependencies: ["ImageAppPlugin", "PluginCrypto"],
            path: "Plugins/web",
            resources: [.copy("Assets")]
        ),
        .target(
            name: "MediaPlugin",
            dependencies: ["ImageAppPlugin", "AuthContract", "MediaContract", "PluginSupport", "ImageProcessing"],
            path: "Plugins/media",
            exclude: ["Contract"]
        ),
        .target(name: "MediaContract", dependencies: ["AuthContract"], path: "Plugins/media/Contract"),
        .target(
            name: "PostsPlugin",
            dependencies: ["ImageAppPlugin", "AuthContract", "ProfilesContract", "MediaContract", "PostsContract", "PluginSupport"],
            path: "Plugins/posts",
            exclude: ["Contract"]
        ),
        .target(
            name: "LikesPlugin",
            dependencies: [
                "ImageAppPlugin", "AuthContract", "ProfilesContract", "MediaContract", "PostsContract", "LikesContract", "PluginSupport",
                "PluginCrypto",
            ],
            path: "Plugins/likes",
            exclude: ["Contract"]
        ),
        .target(
            name: "TrendingPlugin",
            dependencies: [
                "ImageAppPlugin", "AuthContract", "ProfilesContract", "MediaContract", "PostsContract", "LikesContract", "CommentsContract",
                "PluginSupport",
            ],
            path: "Plugins/trending"
        ),
        .target(name: "LikesContract", dependencies: ["AuthContract", "MediaContract"], path: "Plugins/likes/Contract"),
        .target(
            name: "FeedPlugin",
            dependencies: [
                "ImageAppPlugin", "AuthContract", "MediaContract", "PostsContract", "FollowsContract", "RealtimeContract", "PluginSupport",
            ],
            path: "Plugins/feed"
        ),
        .target(
            name: "FollowsPlugin",
            dependencies: ["ImageAppPlugin", "AuthContract", "ProfilesContract", "FollowsContract", "PluginSupport"],
            path: "Plugins/follows",
            exclude: ["Contract"]
        ),
        .target(name: "FollowsContract", dependencies: ["AuthContract"], path: "Plugins/follows/Contract"),
        .target(name: "PostsContract", dependencies: ["AuthContract", "MediaContract", "ProfilesContract"], path: "Plugins/posts/Contract"),
        .target(
            name: "CommentsPlugin",
            dependencies: [
                "ImageAppPlugin", "AuthContract", "ProfilesContract", "MediaContract", "PostsContract", "CommentsContract", "PluginSupport",
            ],
            path: "Plugins/comments",
            exclude: ["Contract"]
        ),
        .target(
            name: "CommentsContract",
            dependencies: ["AuthContract", "MediaContract", "PostsContract", "ProfilesContract"],
            path: "Plugins/comments/Contract"
        ),
        .target(
            name: "NotificationsPlugin",
            dependencies: [
                "ImageAppPlugin", "AuthContract", "ProfilesContract", "MediaContract", "PostsContract", "LikesContract", "CommentsContract",
                "FollowsContract", "RealtimeContract", "PluginSupport",
            ],
            path: "Plugins/notifications"
        ),

        // MARK: Support for plugins: code every plugin shares, thin shims over C libraries and their Swift wrappers.
        // Linked statically into each plugin; never swift-nio or Hummingbird.
        .target(
            name: "PluginSupport",
            dependencies: ["ImageAppPlugin", "PluginCrypto"],
            path: "Plugins/Support/PluginSupport"
        ),
        .systemLibrary(name: "CCrypto", path: "Plugins/Support/CCrypto", providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CMagic", path: "Plugins/Support/CMagic", providers: [.apt(["libmagic-dev"])]),
        .target(name: "PluginCrypto", dependencies: ["CCrypto"], path: "Plugins/Support/PluginCrypto"),
        .target(name: "ContentSniffing", dependencies: ["CMagic"], path: "Plugins/Support/ContentSniffing"),
        // libvips (and libwebpmux) for image uploads (media, avatars): the system module is seen only by the C shim
        // `CVips`, whose header has plain C types; `ImageProcessing` is its Swift wrapper, the blurhash encoder, the
        // processing pool and the upload checks both plugins share.
        .systemLibrary(
            name: "CVipsSystem",
            path: "Plugins/Support/CVipsSystem",
            pkgConfig: "vips",
            providers: [.apt(["libvips-dev", "libwebp-dev"])]
        ),
        .target(
            name: "CVips",
            dependencies: ["CVipsSystem"],
            path: "Plugins/Support/CVips",
            linkerSettings: [
                .linkedLibrary("vips"), .linkedLibrary("webpmux"), .linkedLibrary("webp"), .linkedLibrary("gobject-2.0"), .linkedLibrary("glib-2.0"),
            ]
        ),
        .target(
            name: "ImageProcessing",
            dependencies: ["CVips", "ContentSniffing", "ImageAppPlugin", "PluginSupport", "PluginCrypto"],
            path: "Plugins/Support/ImageProcessing"
        ),

        // MARK: Tests
        .target(name: "TestPluginABIv1_0", path: "Tests/Plugins/abi-v1.0", publicHeadersPath: "."),
        .target(name: "TestPluginNoEntry", dependencies: ["CImageAppPlugin"], path: "Tests/Plugins/no-entry", publicHeadersPath: "."),
        .target(name: "TestPluginABIMajor", dependencies: ["CImageAppPlugin"], path: "Tests/Plugins/abi-major", publicHeadersPath: "."),
        .target(name: "TestPluginABIMinor", dependencies: ["CImageAppPlugin"], path: "Tests/Plugins/abi-minor", publicHeadersPath: "."),
        .target(name: "TestPluginInitFails", dependencies: ["CImageAppPlugin"], path: "Tests/Plugins/init-fails", publicHeadersPath: "."),
        .target(name: "TestPluginUnknownDep", dependencies: ["CImageAppPlugin"], path: "Tests/Plugins/unknown-dep", publicHeadersPath: "."),
        .target(name: "TestPluginDupRoute", dependencies: ["CImageAppPlugin"], path: "Tests/Plugins/dup-route", publicHeadersPath: "."),
        .target(name: "TestPluginData", dependencies: ["CImageAppPlugin"], path: "Tests/Plugins/data", publicHeadersPath: "."),
        .target(name: "TestPluginBlobs", dependencies: ["CImageAppPlugin"], path: "Tests/Plugins/blobs", publicHeadersPath: "."),
        .target(name: "TestPluginRedis", dependencies: ["CImageAppPlugin"], path: "Tests/Plugins/redis", publicHeadersPath: "."),
        .target(name: "TestPluginSwiftData", dependencies: ["ImageAppPlugin"], path: "Tests/Plugins/swift-data"),
        // Built against the frozen v1.7 header, like abi-v1.0 against v1.0's.
        .target(name: "TestPluginABIv1_7", path: "Tests/Plugins/abi-v1.7", publicHeadersPath: "."),
        .target(name: "TestPluginABIHygiene", dependencies: ["CImageAppPlugin"], path: "Tests/Plugins/abi-hygiene", publicHeadersPath: "."),
        .target(name: "TestPluginMultipart", dependencies: ["ImageAppPlugin"], path: "Tests/Plugins/multipart"),
        .target(name: "TestPluginPending", dependencies: ["ImageAppPlugin"], path: "Tests/Plugins/pending"),
        .target(name: "TestPluginPush", dependencies: ["ImageAppPlugin", "RealtimeContract"], path: "Tests/Plugins/push"),
        // ABI 1.13: a route that takes a form or a JSON body, and service commands.
        .target(name: "TestPluginFormAndService", dependencies: ["ImageAppPlugin"], path: "Tests/Plugins/form-and-service"),
        // Another plugin dispatching media's `media.ingest` service command, as `posts` does.
        .target(
            name: "TestPluginMediaIngest",
            dependencies: ["ImageAppPlugin", "AuthContract", "MediaContract"],
            path: "Tests/Plugins/media-ingest"
        ),
        // Test support shared by every test target: scoped hosts (`withHost`), accounts, HTTP and polling helpers.
        // It talks to PostgreSQL and Redis through the C clients directly, so it needs no `@testable` host import
        // and builds in release too.
        .target(
            name: "ImageAppTesting",
            dependencies: ["CLibPQ", "CHiredis"],
            path: "Tests/ImageAppTesting",
            exclude: ["make_images.py", "describe_image.py"]  // Pillow: test images, and reading what the server made
        ),
        // One test target per source module, so one of them runs alone (`scripts/test --filter AuthPluginTests`).
        .testTarget(
            name: "ImageAppHostTests",
            dependencies: [
                "ImageAppHost",
                "ImageAppTesting",
                "CImageAppPlugin",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            path: "Tests/ImageAppHostTests"
        ),
        .testTarget(name: "ImageAppPluginTests", dependencies: ["ImageAppHost", "ImageAppTesting"], path: "Tests/ImageAppPluginTests"),
        .testTarget(name: "AuthPluginTests", dependencies: ["ImageAppTesting"], path: "Tests/AuthPluginTests"),
        .testTarget(name: "RateLimitPluginTests", dependencies: ["ImageAppTesting"], path: "Tests/RateLimitPluginTests"),
        .testTarget(name: "ProfilesPluginTests", dependencies: ["ImageAppHost", "ImageAppTesting"], path: "Tests/ProfilesPluginTests"),
        .testTarget(name: "RealtimePluginTests", dependencies: ["ImageAppHost", "ImageAppTesting"], path: "Tests/RealtimePluginTests"),
        .testTarget(
            name: "MediaPluginTests",
            dependencies: ["ImageAppTesting", "ImageProcessing"],
            path: "Tests/MediaPluginTests"
        ),
        .testTarget(name: "LikesPluginTests", dependencies: ["ImageAppTesting"], path: "Tests/LikesPluginTests"),
        .testTarget(name: "FeedPluginTests", dependencies: ["ImageAppTesting"], path: "Tests/FeedPluginTests"),
        .testTarget(name: "PostsPluginTests", dependencies: ["ImageAppTesting"], path: "Tests/PostsPluginTests"),
        .testTarget(name: "FollowsPluginTests", dependencies: ["ImageAppTesting"], path: "Tests/FollowsPluginTests"),
        .testTarget(name: "CommentsPluginTests", dependencies: ["ImageAppTesting"], path: "Tests/CommentsPluginTests"),
        .testTarget(name: "TrendingPluginTests", dependencies: ["ImageAppTesting"], path: "Tests/TrendingPluginTests"),
        .testTarget(name: "NotificationsPluginTests", dependencies: ["ImageAppTesting"], path: "Tests/NotificationsPluginTests"),
        // The web plugin over HTTP, and the browser end-to-end suite (Tests/Browser, Python selenium and Chromium).
        .testTarget(name: "WebPluginTests", dependencies: ["ImageAppTesting", "PluginCrypto"], path: "Tests/WebPluginTests"),
        .testTarget(
            name: "PluginSupportTests",
            dependencies: [
                "PluginCrypto", "ContentSniffing", "PluginSupport", "AuthContract", "MediaContract", "LikesContract", "ImageAppPlugin",
                "ImageAppTesting",
            ],
            path: "Tests/PluginSupportTests"
        ),

        // MARK: Benchmarks
        .executableTarget(
            name: "BareHummingbird",
            dependencies: [.product(name: "Hummingbird", package: "hummingbird")],
            path: "Benchmarks/BareHummingbird"
        ),
        .target(name: "BenchDataPlugin", dependencies: ["CImageAppPlugin"], path: "Benchmarks/plugins/bench-data", publicHeadersPath: "."),
    ]
)

// House style (hummingbird, swift-log, swift-configuration): the same upcoming features everywhere.
for target in package.targets where [.regular, .executable, .test].contains(target.type) {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.enableUpcomingFeature("InternalImportsByDefault"))
    target.swiftSettings = settings
}
