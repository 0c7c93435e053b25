import MedAugCore
import MedAugImage

/// Procedural stand-ins for the Covid-19 chest X-ray set: grayscale, 256 to
/// 512 pixels a side.
///
/// Anatomy: dark background, a mid-grey thorax, two brighter lung fields with
/// curved rib stripes, a segmented spine and a heart shadow. Findings:
/// - Normal: clear lungs;
/// - Viral Pneumonia: diffuse hazy texture spread through both lungs;
/// - Covid: patchy, peripheral ground-glass blobs in the lower lobes.
/// Each image draws a severity and a weight for each pattern from overlapping
/// distributions (mild cases look almost normal, and each disease shows a
/// little of the other's pattern), so the classes are learnable but not
/// trivially separable.
public enum ChestXRaySynth {
    public enum Finding: Int, Sendable, CaseIterable {
        case covid = 0, normal = 1, viralPneumonia = 2
    }

    public static let sizeRange = 256...512

    /// One image with this finding, drawn from `rng`.
    public static func render(_ finding: Finding, rng: inout Xoshiro256) -> Image {
        renderWithLungs(finding, rng: &rng).image
    }

    /// `render`'s image with each pixel's lung-field weight (0 outside, 1
    /// inside, the soft border in between), which lung that weight is of (1
    /// the one on the image's left, 2 the other, 0 none), and the lungs'
    /// centres in pixel indices. The same draws as `render`, so the image is
    /// the same one: masks and boxes derived from the weight lie exactly on
    /// the drawn lung fields.
    public static func renderWithLungs(_ finding: Finding, rng: inout Xoshiro256)
        -> (image: Image, weight: [Float], lung: [UInt8], centres: [(x: Double, y: Double)]) {
        let w = rng.nextInt(in: sizeRange)
        let h = min(max(Int((Double(w) * rng.uniform(0.8, 1.25)).rounded()), sizeRange.lowerBound), sizeRange.upperBound)
        let (haze, blobs) = patternWeights(finding, rng: &rng)

        let fw = Float(w), fh = Float(h)
        let u = (0..<w).map { Float($0) / fw }
        let v = (0..<h).map { Float($0) / fh }

        // Per-image anatomy with jitter, in units of the image size.
        let midX = Float(rng.uniform(0.47, 0.53))
        let lungY = Float(rng.uniform(0.44, 0.52))
        let lungRX = Float(rng.uniform(0.13, 0.17)), lungRY = Float(rng.uniform(0.26, 0.32))
        let lungGap = Float(rng.uniform(0.16, 0.2))
        let lungs: [(cx: Float, cy: Float)] = [(midX - lungGap, lungY), (midX + lungGap, lungY)]
        let lungLevel = Float(rng.uniform(0.30, 0.40))
        let bodyLevel = Float(rng.uniform(0.20, 0.28))
        let ribFreq = Float(rng.uniform(9, 12)), ribCurve = Float(rng.uniform(1.5, 3.0))
        let ribPhase = Float(rng.nextDouble()), ribAmp = Float(rng.uniform(0.05, 0.09))
        let spineHalf = Float(rng.uniform(0.03, 0.045)), spineFreq = Float(rng.uniform(14, 18))
        let ribProfile = bumpTable(sharpness: 3)
        let heartX = midX + Float(rng.uniform(0.04, 0.08)), heartY = lungY + Float(rng.uniform(0.12, 0.18))
        let heartRX = Float(rng.uniform(0.11, 0.15)), heartRY = Float(rng.uniform(0.11, 0.14))
        let heartLevel = Float(rng.uniform(0.12, 0.2))

        // Haze: low-frequency opacity with a finer reticular texture.
        var pathology = [Float](repeating: 0, count: w * h)
        if haze > 0.01 {
            let coarse = ValueNoise.field(width: w, height: h, cell: Double(w) / 8, rng: &rng)
            let fine = ValueNoise.field(width: w, height: h, cell: Double(w) / 40, rng: &rng)
            let amp = 0.42 * haze
            for i in 0..<(w * h) { pathology[i] = amp * (0.45 + 0.35 * coarse[i] + 0.35 * fine[i]) }
        }
        // Ground glass: blobs near the outer edge of the lower half of each lung.
        if blobs > 0.01 {
            let n = 2 + Int((Float(rng.nextDouble()) * 4 + 4 * blobs).rounded(.down))
            for k in 0..<n {
                let side: Float = k % 2 == 0 ? -1 : 1
                let lung = lungs[side < 0 ? 0 : 1]
                let cx = lung.cx + side * lungRX * Float(rng.uniform(0.35, 0.85))
                let cy = lung.cy + lungRY * Float(rng.uniform(0.05, 0.75))
                let r = Double(w) * rng.uniform(0.035, 0.08)
                let amp = Float(0.38 * Double(blobs) * rng.uniform(0.6, 1.2))
                Shape.addBlob(&pathology, width: w, height: h, cx: Double(cx * fw), cy: Double(cy * fh),
                              rx: r * rng.uniform(0.8, 1.3), ry: r * rng.uniform(0.8, 1.3), amplitude: amp)
            }
            let grain = ValueNoise.field(width: w, height: h, cell: Double(w) / 60, rng: &rng)
            for i in 0..<(w * h) { pathology[i] *= 0.7 + 0.6 * grain[i] }
        }

        let soft = ValueNoise.field(width: w, height: h, cell: Double(w) / 5, rng: &rng)
        let gain = Float(rng.uniform(0.85, 1.15)), offset = Float(rng.uniform(-0.04, 0.04))
        let noiseAmp = Float(rng.uniform(0.02, 0.045))

        var out = [UInt8](repeating: 0, count: w * h)
        var weight = [Float](repeating: 0, count: w * h)
        var lungOf = [UInt8](repeating: 0, count: w * h)
        let iLungRX = 1 / lungRX, iLungRY = 1 / lungRY
        let lungTop = lungY - lungRY
        for y in 0..<h {
            let vy = v[y]
            // Lungs narrow towards the apex.
            let iRX = iLungRX / (0.7 + 0.3 * Shape.clamp01((vy - lungTop) / (1.2 * lungRY)))
            let bodyDY = (vy - 0.55) / 0.52
            let spineRow = ribProfile[Int((vy * spineFreq - (vy * spineFreq).rounded(.down)) * 255)]
            for x in 0..<w {
                let i = y * w + x
                let ux = u[x]
                var val: Float = 0.05 + 0.05 * vy + 0.04 * soft[i]
                // Thorax: a wide soft ellipse.
                let bodyDX = (ux - midX) / 0.44
                let bd = bodyDX * bodyDX + bodyDY * bodyDY
                let body = Shape.smoothstep(1.0, 0.8, bd)
                val += body * bodyLevel
                var lungMask: Float = 0
                var which: UInt8 = 0
                for k in 0..<2 {
                    let lung = lungs[k]
                    let dx = (ux - lung.cx) * iRX, dy = (vy - lung.cy) * iLungRY
                    let d = dx * dx + dy * dy
                    if d < 1 {
                        // The larger weight, as max() took it, remembering whose it is.
                        let m = Shape.smoothstep(1.0, 0.75, d)
                        if m > lungMask { lungMask = m; which = UInt8(k + 1) }
                    }
                }
                if lungMask > 0 {
                    weight[i] = lungMask
                    lungOf[i] = which
                    val += lungMask * (lungLevel - bodyLevel * 0.5)
                    let side = ux - (ux < midX ? lungs[0].cx : lungs[1].cx)
                    let phase = (vy + ribCurve * side * side) * ribFreq + ribPhase
                    let f = phase - phase.rounded(.down)
                    val += lungMask * ribAmp * ribProfile[Int(f * 255)]
                    val += lungMask * pathology[i]
                }
                // Spine, segmented into vertebrae; the heart shadow lies right of the midline in the image (patient's left).
                let sx = abs(ux - midX)
                if sx < spineHalf { val += body * (0.28 + 0.08 * spineRow) * (1 - sx / spineHalf * 0.5) }
                let hx = (ux - heartX) / heartRX, hy = (vy - heartY) / heartRY
                let hd = hx * hx + hy * hy
                if hd < 1 { val += heartLevel * Shape.smoothstep(1, 0.6, hd) }
                let n = (rng.nextFloat() + rng.nextFloat() - 1) * noiseAmp
                out[i] = Shape.byte(val * gain + offset + n)
            }
        }
        let centres = lungs.map { (x: Double($0.cx * fw), y: Double($0.cy * fh)) }
        return (Image(width: w, height: h, channels: 1, bytes: out), weight, lungOf, centres)
    }

    /// (haze, blobs) weights in 0...1.
    static func patternWeights(_ finding: Finding, rng: inout Xoshiro256) -> (Float, Float) {
        switch finding {
        case .normal:
            let s = min(abs(rng.gaussian(mean: 0, sd: 0.14)), 0.5)
            return (Float(s * rng.nextDouble()), Float(s * rng.nextDouble()))
        case .viralPneumonia:
            let s = min(max(rng.gaussian(mean: 0.55, sd: 0.2), 0.08), 1)
            return (Float(s), Float(s * rng.uniform(0, 0.35)))
        case .covid:
            let s = min(max(rng.gaussian(mean: 0.55, sd: 0.2), 0.08), 1)
            return (Float(s * rng.uniform(0, 0.45)), Float(s))
        }
    }

    /// One period of a smooth bump, 0 at the ends and 1 in the middle, as 256 samples.
    static func bumpTable(sharpness: Float) -> [Float] {
        (0..<256).map { k in
            let t = 1 - abs(Float(k) / 255 * 2 - 1)
            var s = t * t * (3 - 2 * t)
            for _ in 1..<Int(sharpness) { s *= t * (2 - t) }
            return s
        }
    }
}
