/*
 * imageapp_swift_toolchain.h — for the Swift SDK and the host only; NOT part of the plugin ABI
 * (C plugins never include it, and nothing in it crosses the boundary).
 *
 * Swift has no stable ABI on Linux, so a Swift plugin must come from the host's Swift release
 * (major.minor), and each side needs the version of the compiler that built it. Swift exposes it
 * to the C modules it imports as `__swift__` (MMmmpp: 60301 for 6.3.1) when the importing module
 * is compiled in the Swift 6 language mode, as the host and the SDK are (in the Swift 5 mode the
 * value stays 51000). Reading it here needs no list of releases to keep up to date.
 */
#ifndef IMAGEAPP_SWIFT_TOOLCHAIN_H
#define IMAGEAPP_SWIFT_TOOLCHAIN_H

#if defined(__swift__)
/** The Swift compiler that imports this header, as major * 10000 + minor * 100 + patch. */
#define IA_SWIFT_COMPILER_VERSION __swift__
#else
#define IA_SWIFT_COMPILER_VERSION 0
#endif

#endif /* IMAGEAPP_SWIFT_TOOLCHAIN_H */
