#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#else
import Darwin
#endif

/// A [blurhash](https://blurha.sh): a short text that a client decodes into a blurred placeholder while the image
/// loads. This follows the reference encoder (woltapp/blurhash, `Algorithm.md` and `C/encode.c`), in `Float` like it.
public enum Blurhash {
    /// The hash of `pixels`: 8-bit sRGB, 3 bytes a pixel, row by row, `width` × `height`; with `componentsX` ×
    /// `componentsY` components (1–9 each). A 4×3 hash is 28 characters.
    ///
    /// - Precondition: `pixels.count >= width * height * 3`, both sizes positive, components in 1...9.
    public static func encode(
        pixels: UnsafeBufferPointer<UInt8>,
        width: Int,
        height: Int,
        componentsX: Int = 4,
        componentsY: Int = 3
    )
        -> String
    {
        precondition(width > 0 && height > 0 && pixels.count >= width * height * 3, "blurhash: pixels do not match the size")
        precondition((1...9).contains(componentsX) && (1...9).contains(componentsY), "blurhash: 1 to 9 components each way")

        // Linear light, once per pixel rather than once per pixel and component.
        var linear = [Float](repeating: 0, count: width * height * 3)
        for index in 0..<(width * height * 3) { linear[index] = sRGBToLinear(pixels[index]) }

        var factors: [(Float, Float, Float)] = []
        factors.reserveCapacity(componentsX * componentsY)
        var cosX = [Float](repeating: 0, count: width)
        var cosY = [Float](repeating: 0, count: height)
        for j in 0..<componentsY {
            for y in 0..<height { cosY[y] = cos(Float.pi * Float(j) * Float(y) / Float(height)) }
            for i in 0..<componentsX {
                for x in 0..<width { cosX[x] = cos(Float.pi * Float(i) * Float(x) / Float(width)) }
                var (r, g, b): (Float, Float, Float) = (0, 0, 0)
                for y in 0..<height {
                    for x in 0..<width {
                        let basis = cosX[x] * cosY[y]
                        let at = 3 * (y * width + x)
                        r += basis * linear[at]
                        g += basis * linear[at + 1]
                        b += basis * linear[at + 2]
                    }
                }
                let scale = (i == 0 && j == 0 ? 1 : 2) / Float(width * height)
                factors.append((r * scale, g * scale, b * scale))
            }
        }

        var hash = ""
        hash += base83(componentsX - 1 + (componentsY - 1) * 9, length: 1)
        let dc = factors[0]
        let ac = factors.dropFirst()
        let maximum: Float
        if ac.isEmpty {
            maximum = 1
            hash += base83(0, length: 1)
        } else {
            let actual = ac.map { max(abs($0.0), abs($0.1), abs($0.2)) }.max() ?? 0
            let quantised = max(0, min(82, Int((actual * 166 - 0.5).rounded(.down))))
            maximum = Float(quantised + 1) / 166
            hash += base83(quantised, length: 1)
        }
        hash += base83((linearToSRGB(dc.0) << 16) + (linearToSRGB(dc.1) << 8) + linearToSRGB(dc.2), length: 4)
        for factor in ac {
            let r = quantiseAC(factor.0, maximum)
            let g = quantiseAC(factor.1, maximum)
            let b = quantiseAC(factor.2, maximum)
            hash += base83(r * 19 * 19 + g * 19 + b, length: 2)
        }
        return hash
    }

    private static func quantiseAC(_ value: Float, _ maximum: Float) -> Int {
        let signed = (value / maximum).sign == .minus ? -1 : Float(1)
        let scaled = (signed * (abs(value / maximum)).squareRoot() * 9 + 9.5).rounded(.down)
        return max(0, min(18, Int(scaled)))
    }

    private static func sRGBToLinear(_ value: UInt8) -> Float {
        let v = Float(value) / 255
        return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
    }

    private static func linearToSRGB(_ value: Float) -> Int {
        let v = max(0, min(1, value))
        let encoded = v <= 0.0031308 ? v * 12.92 : 1.055 * pow(v, 1 / 2.4) - 0.055
        return Int((encoded * 255 + 0.5).rounded(.down))
    }

    private static let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~")

    private static func base83(_ value: Int, length: Int) -> String {
        var digits = [Character](repeating: "0", count: length)
        var rest = value
        for index in stride(from: length - 1, through: 0, by: -1) {
            digits[index] = alphabet[rest % 83]
            rest /= 83
        }
        return String(digits)
    }
}
