import Foundation
import MedAugCore
import MedAugImage

/// Procedural stand-ins for the skin-cancer set: 224x224 RGB dermoscopy-like
/// images of a pigmented lesion on skin, with texture and sometimes hair.
///
/// A per-image severity latent, drawn from overlapping normal distributions
/// (benign around 0.32, malignant around 0.66, sd 0.17), drives the ABCD cues:
/// Asymmetry, Border irregularity, Colour variegation (dark brown, black,
/// blue-grey, red patches) and Diameter. Benign lesions are on average round,
/// symmetric, uniformly brown and smooth-edged; malignant ones the opposite,
/// but the overlap keeps the best possible accuracy around 85 %, close to
/// what the study's small CNN reached on the real data.
public enum SkinLesionSynth {
    public enum Diagnosis: Int, Sendable, CaseIterable {
        case benign = 0, malignant = 1
    }

    public static let size = 224

    /// One image of this diagnosis, drawn from `rng`.
    public static func render(_ diagnosis: Diagnosis, rng: inout Xoshiro256) -> Image {
        renderWithLesion(diagnosis, rng: &rng).image
    }

    /// `render`'s image with the lesion's per-pixel shape weight (0 outside,
    /// 1 inside, the soft border in between; before opacity, colour and hair)
    /// and the centre its border radii are measured from, in pixel indices.
    /// The same draws as `render`, so the image is the same one: masks and
    /// boxes derived from the weight lie exactly where the lesion is painted.
    public static func renderWithLesion(_ diagnosis: Diagnosis, rng: inout Xoshiro256)
        -> (image: Image, weight: [Float], centre: (x: Double, y: Double)) {
        let n = size
        let mean = diagnosis == .benign ? 0.32 : 0.66
        let s = min(max(rng.gaussian(mean: mean, sd: 0.17), 0), 1)

        // Skin: tone, slow blotches, vignetting of a dermatoscope, colour cast.
        let tone = Float(rng.nextDouble())
        let skin = mix3((0.93, 0.78, 0.70), (0.70, 0.50, 0.38), tone)
        let cast = (Float(rng.uniform(0.94, 1.06)), Float(rng.uniform(0.94, 1.06)), Float(rng.uniform(0.94, 1.06)))
        let vignette = Float(rng.uniform(0, 0.45))
        let blotch = ValueNoise.field(width: n, height: n, cell: 40, rng: &rng)
        let pores = ValueNoise.field(width: n, height: n, cell: 4, rng: &rng)

        // Lesion geometry: a radius per angle bin from a few harmonics.
        let cx = Double(n) / 2 + rng.gaussian(mean: 0, sd: 9)
        let cy = Double(n) / 2 + rng.gaussian(mean: 0, sd: 9)
        let baseR = min(max(26 + 44 * s + rng.gaussian(mean: 0, sd: 8), 14), 92)
        var harmonics: [(k: Double, a: Double, phase: Double)] = [(2, rng.uniform(0.02, 0.14), rng.uniform(0, 2 * .pi))]
        harmonics.append((1, 0.22 * s * rng.uniform(0.3, 1.0), rng.uniform(0, 2 * .pi)))  // asymmetry
        let irregular = 0.015 + 0.16 * s * rng.uniform(0.5, 1.2)
        for k in 3...8 {
            harmonics.append((Double(k), irregular * rng.uniform(0.2, 1.0) / pow(Double(k), 0.6), rng.uniform(0, 2 * .pi)))
        }
        let radius: [Float] = (0..<AngleTable.bins).map { b in
            let theta = Double(b) / Double(AngleTable.bins) * 2 * .pi
            var r = 1.0
            for h in harmonics { r += h.a * cos(h.k * theta + h.phase) }
            return Float(baseR * max(r, 0.35))
        }
        let maxR = Double(radius.max() ?? 1) * 1.3 + 2
        let jag = Float(0.02 + 0.22 * s * rng.uniform(0.4, 1.2))
        let edge = Float(max(0.04, 0.2 - 0.15 * s + rng.gaussian(mean: 0, sd: 0.03)))
        let border = ValueNoise.field(width: n, height: n, cell: 7, rng: &rng)

        // Lesion colour: brown base, darker centre, patches by severity.
        let lesion = mix3((0.62, 0.40, 0.26), (0.33, 0.19, 0.11), Float(0.6 * rng.nextDouble() + 0.4 * s))
        let centreDark = Float(rng.uniform(0.05, 0.3))
        let opacity = Float(rng.uniform(0.75, 0.97))
        let variegation = Shape.clamp01(Float(1.3 * s - 0.25 + rng.gaussian(mean: 0, sd: 0.12)))
        let blueOn = Float(rng.chance(0.25 + 0.6 * s) ? 1 : 0), redOn = Float(rng.chance(0.2 + 0.6 * s) ? 1 : 0)
        let patchA = twoOctaves(cell: rng.uniform(12, 20), rng: &rng)
        let patchB = twoOctaves(cell: rng.uniform(14, 24), rng: &rng)
        let black: (Float, Float, Float) = (0.13, 0.09, 0.08)
        let blueGrey: (Float, Float, Float) = (0.42, 0.45, 0.52)
        let red: (Float, Float, Float) = (0.62, 0.30, 0.27)

        let hair = hairMask(rng: &rng)
        let noiseAmp = Float(rng.uniform(0.012, 0.03))

        let x0 = max(0, Int(cx - maxR)), x1 = min(n - 1, Int(cx + maxR))
        let y0 = max(0, Int(cy - maxR)), y1 = min(n - 1, Int(cy + maxR))
        let fcx = Float(cx), fcy = Float(cy)
        let half = Float(n) / 2
        let table = AngleTable.shared
        var out = [UInt8](repeating: 0, count: n * n * 3)
        var weight = [Float](repeating: 0, count: n * n)
        for y in 0..<n {
            let vy = (Float(y) - half) / half
            for x in 0..<n {
                let i = y * n + x
                let vx = (Float(x) - half) / half
                let light = (1 - vignette * 0.5 * (vx * vx + vy * vy)) * (0.94 + 0.12 * blotch[i]) * (0.97 + 0.06 * pores[i])
                var r = skin.0 * light, g = skin.1 * light, b = skin.2 * light
                if x >= x0 && x <= x1 && y >= y0 && y <= y1 {
                    let dx = Float(x) - fcx, dy = Float(y) - fcy
                    let d = (dx * dx + dy * dy).squareRoot()
                    let rho = d / radius[table.bin(dx: Int(dx.rounded()), dy: Int(dy.rounded()))] + jag * (border[i] - 0.5)
                    let w = Shape.smoothstep(1, 1 - edge, rho)
                    weight[i] = w
                    let alpha = w * opacity
                    if alpha > 0 {
                        let dark = 1 - centreDark * Shape.clamp01(1 - rho)
                        var lr = lesion.0 * dark, lg = lesion.1 * dark, lb = lesion.2 * dark
                        if variegation > 0 {
                            let wk = Shape.smoothstep(0.58, 0.72, patchA[i]) * variegation
                            lr += (black.0 - lr) * wk; lg += (black.1 - lg) * wk; lb += (black.2 - lb) * wk
                            let wb = Shape.smoothstep(0.6, 0.74, patchB[i]) * variegation * blueOn * 0.8
                            lr += (blueGrey.0 - lr) * wb; lg += (blueGrey.1 - lg) * wb; lb += (blueGrey.2 - lb) * wb
                            let wr = Shape.smoothstep(0.62, 0.76, 1 - patchB[i]) * variegation * redOn * 0.75
                            lr += (red.0 - lr) * wr; lg += (red.1 - lg) * wr; lb += (red.2 - lb) * wr
                        }
                        r += (lr - r) * alpha; g += (lg - g) * alpha; b += (lb - b) * alpha
                    }
                }
                let hm = hair[i]
                let bits = rng.next()
                let nr = Float(bits & 0xFFFF) * (1 / 65535) - 0.5
                let ng = Float((bits >> 16) & 0xFFFF) * (1 / 65535) - 0.5
                let nb = Float((bits >> 32) & 0xFFFF) * (1 / 65535) - 0.5
                out[3 * i] = Shape.byte(r * hm * cast.0 + nr * noiseAmp * 2)
                out[3 * i + 1] = Shape.byte(g * hm * cast.1 + ng * noiseAmp * 2)
                out[3 * i + 2] = Shape.byte(b * hm * cast.2 + nb * noiseAmp * 2)
            }
        }
        return (Image(width: n, height: n, channels: 3, bytes: out), weight, (cx, cy))
    }

    /// Multiplicative darkening by a few curved hairs; the same odds for both classes.
    static func hairMask(rng: inout Xoshiro256) -> [Float] {
        let n = size
        var mask = [Float](repeating: 1, count: n * n)
        let count = rng.chance(0.45) ? 0 : rng.nextInt(in: 1...7)
        for _ in 0..<count {
            let p0 = (rng.uniform(-20, Double(n) + 20), rng.uniform(-20, Double(n) + 20))
            let p2 = (rng.uniform(-20, Double(n) + 20), rng.uniform(-20, Double(n) + 20))
            let p1 = ((p0.0 + p2.0) / 2 + rng.gaussian(mean: 0, sd: 40), (p0.1 + p2.1) / 2 + rng.gaussian(mean: 0, sd: 40))
            let shade = Float(rng.uniform(0.25, 0.6))
            let thick = rng.chance(0.5) ? 1 : 0
            let length = abs(p2.0 - p0.0) + abs(p2.1 - p0.1) + 1
            let steps = Int(length * 1.5)
            for k in 0...steps {
                let t = Double(k) / Double(steps), mt = 1 - t
                let px = mt * mt * p0.0 + 2 * mt * t * p1.0 + t * t * p2.0
                let py = mt * mt * p0.1 + 2 * mt * t * p1.1 + t * t * p2.1
                let ix = Int(px.rounded(.down)), iy = Int(py.rounded(.down))
                for yy in iy...(iy + thick) where yy >= 0 && yy < n {
                    for xx in ix...(ix + thick) where xx >= 0 && xx < n {
                        mask[yy * n + xx] = min(mask[yy * n + xx], shade)
                    }
                }
            }
        }
        return mask
    }

    /// Value noise plus a finer octave: breaks up the square look of a single grid.
    static func twoOctaves(cell: Double, rng: inout Xoshiro256) -> [Float] {
        var a = ValueNoise.field(width: size, height: size, cell: cell, rng: &rng)
        let b = ValueNoise.field(width: size, height: size, cell: cell / 2.3, rng: &rng)
        for i in 0..<a.count { a[i] = 0.65 * a[i] + 0.35 * b[i] }
        return a
    }

    static func mix3(_ a: (Float, Float, Float), _ b: (Float, Float, Float), _ t: Float) -> (Float, Float, Float) {
        (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t, a.2 + (b.2 - a.2) * t)
    }
}

/// atan2 for every integer offset, computed once, so the lesion border costs
/// a table lookup per pixel instead of a trigonometric call.
final class AngleTable: Sendable {
    static let bins = 256
    static let reach = 256
    static let shared = AngleTable()

    private let table: [UInt8]

    private init() {
        let r = Self.reach, side = 2 * r + 1
        var t = [UInt8](repeating: 0, count: side * side)
        for dy in -r...r {
            for dx in -r...r {
                var a = atan2(Double(dy), Double(dx)) / (2 * .pi)
                if a < 0 { a += 1 }
                t[(dy + r) * side + dx + r] = UInt8(Int(a * Double(Self.bins)) % Self.bins)
            }
        }
        table = t
    }

    @inline(__always)
    func bin(dx: Int, dy: Int) -> Int {
        let r = Self.reach
        let x = min(max(dx, -r), r), y = min(max(dy, -r), r)
        return Int(table[(y + r) * (2 * r + 1) + x + r])
    }
}
