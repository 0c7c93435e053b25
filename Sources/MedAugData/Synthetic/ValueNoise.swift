import MedAugCore
import MedAugImage
/// Smooth random fields for procedural images, without per-pixel trig:
/// a coarse grid of random values, bilinearly interpolated with a smoothstep
/// weight whose per-column and per-row factors are computed once.
enum ValueNoise {
    /// A width x height field in [0, 1], varying over about `cell` pixels.
    static func field(width: Int, height: Int, cell: Double, rng: inout Xoshiro256) -> [Float] {
        let cell = max(cell, 1)
        let gw = Int(Double(width) / cell) + 2, gh = Int(Double(height) / cell) + 2
        var grid = [Float](repeating: 0, count: gw * gh)
        for i in 0..<grid.count { grid[i] = rng.nextFloat() }
        // A random offset so that grid lines do not sit at the same place in every image.
        let ox = rng.nextDouble(), oy = rng.nextDouble()
        let (xi, xf) = axis(width, cell, ox, gw)
        let (yi, yf) = axis(height, cell, oy, gh)
        var out = [Float](repeating: 0, count: width * height)
        out.withUnsafeMutableBufferPointer { o in
            grid.withUnsafeBufferPointer { g in
                for y in 0..<height {
                    let r0 = yi[y] * gw, r1 = r0 + gw, fy = yf[y]
                    let row = y * width
                    for x in 0..<width {
                        let c = xi[x], fx = xf[x]
                        let top = g[r0 + c] + (g[r0 + c + 1] - g[r0 + c]) * fx
                        let bot = g[r1 + c] + (g[r1 + c + 1] - g[r1 + c]) * fx
                        o[row + x] = top + (bot - top) * fy
                    }
                }
            }
        }
        return out
    }

    private static func axis(_ n: Int, _ cell: Double, _ offset: Double, _ gridN: Int) -> ([Int], [Float]) {
        var idx = [Int](repeating: 0, count: n), frac = [Float](repeating: 0, count: n)
        for i in 0..<n {
            let p = Double(i) / cell + offset
            let c = min(Int(p), gridN - 2)
            let t = Float(p - Double(c))
            idx[i] = c
            frac[i] = t * t * (3 - 2 * t)
        }
        return (idx, frac)
    }
}

enum Shape {
    @inline(__always)
    static func clamp01(_ x: Float) -> Float { min(max(x, 0), 1) }

    @inline(__always)
    static func smoothstep(_ e0: Float, _ e1: Float, _ x: Float) -> Float {
        let t = clamp01((x - e0) / (e1 - e0))
        return t * t * (3 - 2 * t)
    }

    /// Adds a soft elliptical bump ((1 - d²)² inside, 0 outside) to a field.
    static func addBlob(_ field: inout [Float], width: Int, height: Int,
                        cx: Double, cy: Double, rx: Double, ry: Double, amplitude: Float) {
        guard rx > 0.5, ry > 0.5 else { return }
        let x0 = max(0, Int(cx - rx)), x1 = min(width - 1, Int(cx + rx) + 1)
        let y0 = max(0, Int(cy - ry)), y1 = min(height - 1, Int(cy + ry) + 1)
        guard x0 <= x1, y0 <= y1 else { return }
        let irx = Float(1 / rx), iry = Float(1 / ry)
        let fcx = Float(cx), fcy = Float(cy)
        field.withUnsafeMutableBufferPointer { f in
            for y in y0...y1 {
                let dy = (Float(y) - fcy) * iry
                let dy2 = dy * dy
                if dy2 >= 1 { continue }
                let row = y * width
                for x in x0...x1 {
                    let dx = (Float(x) - fcx) * irx
                    let d2 = dx * dx + dy2
                    if d2 < 1 {
                        let k = 1 - d2
                        f[row + x] += amplitude * k * k
                    }
                }
            }
        }
    }

    /// Float to byte with rounding and clamping.
    @inline(__always)
    static func byte(_ v: Float) -> UInt8 {
        UInt8(min(max(v * 255 + 0.5, 0), 255))
    }
}
