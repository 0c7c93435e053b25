import XCTest
import MedAugCore
import MedAugImage
@testable import MedAugAugment

/// RandAugment is composed as imgaug 0.4.0 composes it.
final class PolicyRandAugmentTests: XCTestCase {
    static let mainNames = [
        "Identity", "pillike.Autocontrast", "pillike.Equalize", "Invert", "pillike.Affine", "pillike.Posterize",
        "pillike.Solarize", "pillike.EnhanceColor", "pillike.EnhanceContrast", "pillike.EnhanceBrightness",
        "pillike.EnhanceSharpness", "pillike.Affine", "pillike.Affine", "pillike.Affine", "pillike.Affine", "Cutout",
        "pillike.FilterBlur", "pillike.FilterSmooth",
    ]

    func values(_ p: Param) -> [Double] { p.values }

    /// The children and their magnitudes at a fixed M = 9, from imgaug's formulas with M_MAX = 30.
    func testChildrenAndMagnitudesAtFixedM() throws {
        let r = RandAugment(m: .constant(9))
        XCTAssertEqual(r.initialAugmenters.map(\.name), ["Fliplr", "Crop"])
        let main = r.mainAugmenters()
        XCTAssertEqual(main.map(\.name), Self.mainNames)
        XCTAssertEqual((main[1] as? PillikeAutocontrast)?.cutoff, .constant(0))
        let rotate = try XCTUnwrap(main[4] as? PillikeAffine)
        XCTAssertEqual(rotate.rotate.param, .choice([-9, 9]))
        XCTAssertEqual(rotate.center, .center, "rotation about the centre, as PIL's Image.rotate")
        XCTAssertEqual(rotate.fillcolor, .constant(128))
        XCTAssertEqual((main[5] as? PillikePosterize)?.base.nbBits, .constant(7), "8 - int(9 * 6 / 30)")
        XCTAssertEqual((main[6] as? PillikeSolarize)?.threshold, .constant(180), "256 - int(9 * 256 / 30)")
        for i in 7...10 {
            let f = try XCTUnwrap(main[i] as? PillikeEnhanceAugmenter).factor.param.values
            XCTAssertEqual(f.count, 2)
            XCTAssertEqual(f[0], 0.73, accuracy: 1e-12)
            XCTAssertEqual(f[1], 1.27, accuracy: 1e-12)
        }
        let shearX = try XCTUnwrap(main[11] as? PillikeAffine)
        guard case .perAxis(let sx, let sy) = shearX.shear else { return XCTFail("shear x is per axis") }
        XCTAssertEqual(sx.param.values.map { abs($0) }, [5.156620156177409, 5.156620156177409].map { $0 }, "9 * deg(0.3) / 30")
        XCTAssertEqual(sy, .constant(0))
        XCTAssertEqual(shearX.center, .fixed(x: 0, y: 0), "the top-left corner, Pillow's origin")
        let translateY = try XCTUnwrap(main[14] as? PillikeAffine)
        XCTAssertEqual(translateY.translate, .percent(.perAxis(x: .constant(0), y: Continuous(.choice([-0.099, 0.099])))))
        let cutout = try XCTUnwrap(main[15] as? Cutout)
        XCTAssertEqual(cutout.size.param.values[0], 0.1875, accuracy: 1e-12)
        XCTAssertEqual(cutout.cval, .constant(128))
    }

    /// A range of M lists every value (and sign) with equal weight; M = 30 reaches imgaug's limits.
    func testRangesAndExtremes() throws {
        let r = RandAugment()
        let main = r.mainAugmenters()
        XCTAssertEqual((main[4] as? PillikeAffine)?.rotate.param.values.count, 14, "M in 6...12, two signs")
        XCTAssertEqual((main[5] as? PillikePosterize)?.base.nbBits.param, .choice([7, 7, 7, 7, 6, 6, 6]))
        let strongest = RandAugment(m: .constant(30)).mainAugmenters()
        XCTAssertEqual((strongest[5] as? PillikePosterize)?.base.nbBits, .constant(2))
        XCTAssertEqual((strongest[6] as? PillikeSolarize)?.threshold, .constant(0))
        XCTAssertEqual((strongest[7] as? PillikeEnhanceAugmenter)?.factor.param, .choice([0.1, 1.9]))
        XCTAssertEqual((strongest[15] as? Cutout)?.size.param, .constant(0.625))
        // 16-bit images get cval and Solarize's threshold in 16-bit units.
        let wide = RandAugment(m: .constant(9)).mainAugmenters(valueScale: 257)
        XCTAssertEqual((wide[15] as? Cutout)?.cval, .constant(128 * 257))
        XCTAssertEqual((wide[6] as? PillikeSolarize)?.threshold, .constant(180 * 257))
    }

    /// n and m in imgaug's forms; refused values name the key.
    func testParsing() throws {
        let p = try PipelineReader.parse("""
        - RandAugment: {n: 2, m: [6, 12]}
        - RandAugment: {m: 9, cval: 0}
        - RandAugment: {n: [1, 3], m: {choice: [5, 9]}}
        - RandAugment
        """, format: .yaml)
        let r = try p.children.map { try XCTUnwrap($0 as? RandAugment) }
        XCTAssertEqual(r[0].m, .range(6, 12))
        XCTAssertEqual(r[0].n, .constant(2))
        XCTAssertEqual(r[1].m, .constant(9))
        XCTAssertEqual(r[1].cval, .constant(0))
        XCTAssertEqual(r[2].n, .range(1, 3))
        XCTAssertEqual(r[2].m, Discrete(.choice([5, 9])))
        XCTAssertEqual(r[3].m, .range(6, 12))
        XCTAssertEqual(r[3].cval, .constant(128))
        for bad in ["- RandAugment: {m: -1}", "- RandAugment: {m: 2.5}", "- RandAugment: {n: -2}", "- RandAugment: {m: 100000}"] {
            XCTAssertThrowsError(try PipelineReader.parse(bad, format: .yaml), bad) { error in
                XCTAssertTrue("\(error)".contains("RandAugment"), "\(error)")
            }
        }
    }

    /// Every image goes through the flip and the crop, then exactly n main operations; the size, channels and depth stay.
    func testTracesShowTheCompositionOnEveryImageKind() throws {
        let base = Image(width: 20, height: 16, channels: 3, bytes: (0..<(20 * 16 * 3)).map { UInt8(($0 * 37) % 256) })
        let gray = Image(width: 20, height: 16, channels: 1, bytes: (0..<(20 * 16)).map { UInt8(($0 * 11) % 256) })
        let rgba = Image(width: 20, height: 16, channels: 4, bytes: (0..<(20 * 16 * 4)).map { UInt8(($0 * 13) % 256) })
        let mainSet = Set(Self.mainNames)
        for image in [base, gray, rgba] {
            for input in [image, image.to16Bit()] {
                for seed in 0..<30 {
                    var context = AugmentContext(seed: UInt64(seed), identity: "ra", recordTrace: true)
                    let out = try RandAugment().augment(input, &context)
                    XCTAssertEqual([out.width, out.height, out.channels, out.bitDepth],
                                   [input.width, input.height, input.channels, input.bitDepth])
                    let steps = (context.trace ?? []).map(\.augmenter)
                    XCTAssertEqual(Array(steps.prefix(2)), ["Fliplr", "Crop"])
                    XCTAssertEqual(steps.dropFirst(2).filter { mainSet.contains($0) }.count, 2, "\(steps)")
                }
            }
        }
    }

    /// The randaugment preset is imgaug's defaults and says it is not the study's.
    func testPresetIsImgaugDefaults() throws {
        let p = try Presets.pipeline("randaugment")
        let r = try XCTUnwrap(p.children.first as? RandAugment)
        XCTAssertEqual(r.config, RandAugment().config)
        XCTAssertTrue(Presets.text("randaugment")!.contains("not one of the study's settings"))
    }
}
