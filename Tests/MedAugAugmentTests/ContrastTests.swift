import XCTest
import MedAugImage
@testable import MedAugAugment

/// GammaContrast, SigmoidContrast, LogContrast and LinearContrast against
/// values computed with imgaug 0.4.0 (numpy 1.23.5, scikit-image 0.20.0).
final class ContrastTests: XCTestCase {
    static let v8: [UInt8] = [0, 1, 2, 17, 40, 63, 64, 100, 127, 128, 129, 180, 200, 230, 254, 255]
    static let v16: [UInt16] = [0, 1, 257, 1000, 12345, 30000, 32767, 32768, 40000, 50000, 65000, 65535]

    func run8(_ aug: any Augmenter) throws -> [UInt8] {
        try DAC.run(aug, DAC.image(16, 1, 1, ContrastTests.v8)).bytes!
    }

    func run16(_ aug: any Augmenter) throws -> [UInt16] {
        try DAC.run(aug, Image(width: 12, height: 1, channels: 1, samples16: ContrastTests.v16)).samples16!
    }

    // MARK: imgaug's values

    func testGammaMatchesImgaug() throws {
        XCTAssertEqual(try run8(GammaContrast(gamma: .constant(1.5))),
                       [0, 0, 0, 4, 15, 31, 32, 62, 89, 90, 91, 151, 177, 218, 253, 255])
        XCTAssertEqual(try run16(GammaContrast(gamma: .constant(1.5))),
                       [0, 0, 16, 123, 5357, 20297, 23169, 23170, 31250, 43673, 64734, 65535])
        XCTAssertEqual(try run8(GammaContrast(gamma: .constant(0.7))),
                       [0, 5, 8, 38, 69, 95, 96, 132, 156, 157, 158, 199, 215, 237, 254, 255])
        XCTAssertEqual(try run16(GammaContrast(gamma: .constant(0.7))),
                       [0, 27, 1354, 3507, 20369, 37925, 40341, 40341, 46385, 54227, 65160, 65535])
        XCTAssertEqual(ContrastCurve.gamma(1).table8, (0..<256).map { UInt8($0) })
    }

    func testNegativeGammaSaturates() throws {
        // imgaug: uint8 gives 255 everywhere (0^-0.5 is inf, clipped); scikit-image
        // refuses 16-bit, MedAug saturates the same way.
        XCTAssertEqual(try run8(GammaContrast(gamma: .constant(-0.5))), [UInt8](repeating: 255, count: 16))
        XCTAssertEqual(try run16(GammaContrast(gamma: .constant(-0.5))), [UInt16](repeating: 65535, count: 12))
    }

    func testSigmoidMatchesImgaug() throws {
        let aug = SigmoidContrast(gain: .constant(10), cutoff: .constant(0.4))
        XCTAssertEqual(try run8(aug), [4, 4, 4, 8, 20, 45, 46, 122, 185, 187, 189, 243, 249, 253, 254, 254])
        XCTAssertEqual(try run16(aug), [1178, 1178, 1224, 1368, 7046, 41977, 47908, 47910, 58408, 63841, 65359, 65372])
    }

    func testLogMatchesImgaug() throws {
        XCTAssertEqual(try run8(LogContrast(gain: .constant(0.8))),
                       [0, 1, 2, 18, 42, 64, 65, 97, 118, 119, 120, 157, 170, 189, 203, 204])
        XCTAssertEqual(try run16(LogContrast(gain: .constant(0.8))),
                       [0, 1, 296, 1145, 13053, 28508, 30668, 30668, 36038, 42885, 52118, 52428])
        XCTAssertEqual(try run8(LogContrast(gain: .constant(1.3))),
                       [0, 1, 3, 30, 69, 105, 107, 158, 193, 194, 195, 255, 255, 255, 255, 255])
    }

    func testLog16BitSaturatesWhereImgaugWrapsAround() throws {
        // imgaug gives [..., 58562, 4153, 19156, 19659]: the float64 result above
        // 65535 wraps around in numpy's cast. MedAug clips (PARITY.md deviation).
        XCTAssertEqual(try run16(LogContrast(gain: .constant(1.3))),
                       [0, 1, 481, 1861, 21212, 46326, 49835, 49836, 58562, 65535, 65535, 65535])
    }

    func testLinearMatchesImgaug() throws {
        XCTAssertEqual(try run8(LinearContrast(alpha: .constant(1.3))),
                       [0, 0, 0, 0, 13, 43, 45, 91, 127, 128, 129, 195, 221, 255, 255, 255])
        XCTAssertEqual(try run16(LinearContrast(alpha: .constant(1.3))),
                       [0, 0, 0, 0, 6218, 29170, 32767, 32768, 42170, 55170, 65535, 65535])
        XCTAssertEqual(try run8(LinearContrast(alpha: .constant(-0.5))),
                       [190, 190, 189, 182, 170, 159, 158, 140, 127, 126, 126, 100, 90, 75, 63, 63])
        XCTAssertEqual(try run16(LinearContrast(alpha: .constant(-0.5))),
                       [49150, 49150, 49022, 48650, 42978, 34150, 32767, 32766, 29150, 24150, 16650, 16383])
        XCTAssertEqual(ContrastCurve.linear(alpha: 1).table8, (0..<256).map { UInt8($0) })
    }

    // MARK: channels and sampling

    func testEveryChannelChangesAlphaIncluded() throws {
        let img = DAC.image(1, 1, 4, [100, 100, 100, 100])
        XCTAssertEqual(try DAC.run(GammaContrast(gamma: .constant(1.5)), img).bytes!, [62, 62, 62, 62])
        XCTAssertEqual(try DAC.run(LinearContrast(alpha: .constant(1.3)), img).bytes!, [91, 91, 91, 91])
    }

    func testPerChannelCurves() {
        let img = DAC.image(2, 1, 3, [100, 100, 100, 128, 128, 128])
        let out = ContrastKernel.apply(img, curves: [.gamma(1.5), .gamma(0.7), .linear(alpha: 1.3)])
        XCTAssertEqual(out.bytes!, [62, 132, 91, 90, 157, 128])
        let img16 = Image(width: 1, height: 1, channels: 3, samples16: [30000, 30000, 30000])
        XCTAssertEqual(ContrastKernel.apply(img16, curves: [.gamma(1.5), .gamma(0.7), .log(gain: 0.8)]).samples16!,
                       [20297, 37925, 28508])
    }

    func testPerChannelDrawsOneValuePerChannel() throws {
        let img = DAC.image(1, 1, 3, [100, 100, 100])
        var differs = false
        for seed in 0..<20 as Range<UInt64> {
            let out = try DAC.run(GammaContrast(gamma: .range(0.5, 2), perChannel: .constant(1)), img, seed: seed).bytes!
            if Set(out).count > 1 { differs = true }
            let shared = try DAC.run(SigmoidContrast(gain: .range(3, 10), cutoff: .range(0.3, 0.7)), img, seed: seed).bytes!
            XCTAssertEqual(Set(shared).count, 1, "without per_channel all channels share one curve")
        }
        XCTAssertTrue(differs)
    }

    func testTraceRecordsValues() throws {
        var ctx = DAC.context()
        _ = try GammaContrast(gamma: .constant(1.25)).augment(DAC.pattern(width: 2, height: 2, channels: 1), &ctx)
        _ = try SigmoidContrast(gain: .constant(6), cutoff: .constant(0.5), perChannel: .constant(1))
            .augment(DAC.pattern(width: 2, height: 2, channels: 3), &ctx)
        _ = try LogContrast(gain: .constant(0.5)).augment(DAC.pattern(width: 2, height: 2, channels: 3), &ctx)
        _ = try LinearContrast(alpha: .constant(2)).augment(DAC.pattern(width: 2, height: 2, channels: 3), &ctx)
        XCTAssertEqual(ctx.trace!.map(\.description), [
            "GammaContrast(gamma=1.25)", "SigmoidContrast(gain=6,6,6 cutoff=0.5,0.5,0.5)",
            "LogContrast(gain=0.5)", "LinearContrast(alpha=2)",
        ])
    }

    func testEmptyAndOddShapes() throws {
        for c in [1, 2, 3, 4] {
            let img = DAC.pattern(width: 3, height: 5, channels: c)
            XCTAssertEqual(try DAC.run(LinearContrast(alpha: .constant(1)), img), img)
            let img16 = DAC.pattern16(width: 3, height: 5, channels: c)
            XCTAssertEqual(try DAC.run(GammaContrast(gamma: .constant(1)), img16), img16)
        }
        let empty = Image(width: 0, height: 0, channels: 3, bytes: [])
        XCTAssertEqual(try DAC.run(SigmoidContrast(), empty), empty)
    }

    // MARK: pipeline files

    func testParseDefaultsAndForms() throws {
        let g = try DAC.only("- GammaContrast", as: GammaContrast.self)
        XCTAssertEqual(g.gamma, .range(0.7, 1.7))
        XCTAssertEqual(g.perChannel, .constant(0))
        let s = try DAC.only("- SigmoidContrast: {}", as: SigmoidContrast.self)
        XCTAssertEqual(s.gain, .range(5, 6))
        XCTAssertEqual(s.cutoff, .range(0.3, 0.6))
        XCTAssertEqual(try DAC.only("- LogContrast", as: LogContrast.self).gain, .range(0.4, 1.6))
        XCTAssertEqual(try DAC.only("- LinearContrast", as: LinearContrast.self).alpha, .range(0.6, 1.4))
        let l = try DAC.only("- LinearContrast: {alpha: {choice: [0.5, 2]}, per_channel: 0.5}", as: LinearContrast.self)
        XCTAssertEqual(l.alpha, Continuous(.choice([0.5, 2])))
        XCTAssertEqual(l.perChannel, .constant(0.5))
        XCTAssertEqual(try DAC.only("- GammaContrast: {gamma: 2, per_channel: true}", as: GammaContrast.self).perChannel,
                       .constant(1))
    }

    func testRefusals() {
        DAC.assertPipelineError("- SigmoidContrast: {cutoff: 1.5}", key: "cutoff")
        DAC.assertPipelineError("- SigmoidContrast: {gain: -1}", key: "gain")
        DAC.assertPipelineError("- LogContrast: {gain: [-1, 1]}", key: "gain")
        DAC.assertPipelineError("- GammaContrast: {per_channel: 1.5}", key: "per_channel")
        DAC.assertPipelineError("- LinearContrast: {alpha: fast}", key: "alpha")
    }

    func testRoundTrip() throws {
        try DAC.assertRoundTrip("""
        - GammaContrast: {gamma: [0.5, 2.0], per_channel: 0.5}
        - SigmoidContrast: {gain: {choice: [5, 10]}, cutoff: 0.45, per_channel: true}
        - LogContrast: {gain: 0.9}
        - LinearContrast: {alpha: [0.4, 1.6]}
        """)
    }

    // MARK: histogram equalisation (values from imgaug 0.4.0 / OpenCV 4.7)

    static let gray: [UInt8] = [146, 192, 171, 40, 61, 187, 147, 178, 189, 159, 188, 133, 182, 66, 121]
    static let rgb: [UInt8] = [218, 150, 66, 2, 191, 60, 129, 179, 90, 69, 104, 110,
                               97, 157, 106, 152, 251, 62, 7, 248, 171, 33, 123, 79]
    static var rgba: [UInt8] {
        let alpha: [UInt8] = [10, 20, 30, 40, 50, 60, 70, 10]
        var out: [UInt8] = []
        for i in 0..<8 {
            out += rgb[3 * i..<3 * i + 3]
            out.append(alpha[i])
        }
        return out
    }
    static let grayEqualized: [UInt8] = [91, 255, 146, 0, 18, 200, 109, 164, 237, 127, 219, 73, 182, 36, 55]

    func testAllChannelsHistogramEqualizationMatchesImgaug() throws {
        XCTAssertEqual(try DAC.run(AllChannelsHistogramEqualization(), DAC.image(5, 3, 1, ContrastTests.gray)).bytes!,
                       ContrastTests.grayEqualized)
        XCTAssertEqual(try DAC.run(AllChannelsHistogramEqualization(), DAC.image(4, 2, 4, ContrastTests.rgba)).bytes!,
                       [255, 73, 73, 0, 0, 182, 0, 42, 182, 146, 146, 85, 109, 0, 219, 128,
                        146, 109, 182, 170, 219, 255, 36, 212, 36, 219, 255, 255, 73, 36, 109, 0])
        // One value everywhere stays as it is (OpenCV's early return).
        let flat = DAC.image(2, 2, 1, [77, 77, 77, 77])
        XCTAssertEqual(try DAC.run(AllChannelsHistogramEqualization(), flat), flat)
    }

    func testHistogramEqualizationMatchesImgaug() throws {
        let rgb = DAC.image(4, 2, 3, ContrastTests.rgb)
        XCTAssertEqual(try DAC.run(HistogramEqualization(), DAC.image(5, 3, 1, ContrastTests.gray)).bytes!,
                       ContrastTests.grayEqualized)
        XCTAssertEqual(try DAC.run(HistogramEqualization(), DAC.image(4, 2, 4, ContrastTests.rgba)).bytes!,
                       [145, 88, 0, 10, 37, 201, 69, 20, 139, 189, 99, 30, 0, 10, 18, 40,
                        18, 78, 33, 50, 183, 255, 92, 60, 0, 244, 169, 70, 0, 46, 7, 10])
        XCTAssertEqual(try DAC.run(HistogramEqualization(toColorspace: "HSV"), rgb).bytes!,
                       [182, 127, 55, 2, 146, 45, 78, 109, 55, 0, 0, 0, 45, 73, 50, 153, 255, 63, 6, 219, 148, 10, 36, 23])
        XCTAssertEqual(try DAC.run(HistogramEqualization(fromColorspace: "BGR", toColorspace: "HLS"), rgb).bytes!,
                       [243, 222, 195, 1, 145, 44, 178, 209, 155, 28, 42, 44, 83, 135, 90, 255, 255, 255, 43, 249, 180, 0, 0, 0])
        // HSV to Lab goes through RGB; Lab to Lab converts nothing.
        XCTAssertEqual(try DAC.run(HistogramEqualization(fromColorspace: "HSV", toColorspace: "Lab"), rgb).bytes!,
                       [37, 100, 105, 2, 175, 64, 130, 140, 122, 69, 38, 255, 98, 85, 200, 155, 255, 39, 11, 130, 255, 31, 75, 140])
        XCTAssertEqual(try DAC.run(HistogramEqualization(fromColorspace: "Lab", toColorspace: "Lab"), rgb).bytes!,
                       [255, 150, 66, 0, 191, 60, 182, 179, 90, 109, 104, 110, 146, 157, 106, 219, 251, 62, 36, 248, 171, 73, 123, 79])
    }

    func testHistogramEqualization16Bit() throws {
        // 65536 bins, the same formula scaled to 65535 (imgaug refuses uint16).
        let img16 = Image(width: 4, height: 1, channels: 1, samples16: [1000, 60000, 1000, 7])
        XCTAssertEqual(try DAC.run(AllChannelsHistogramEqualization(), img16).samples16!, [43690, 65535, 43690, 0])
        XCTAssertEqual(try DAC.run(HistogramEqualization(), img16).samples16!, [43690, 65535, 43690, 0])
        let gray16 = DAC.image(5, 3, 1, ContrastTests.gray).to16Bit()
        let back = try DAC.run(AllChannelsHistogramEqualization(), gray16).to8Bit().bytes!
        XCTAssertLessThanOrEqual(zip(back, ContrastTests.grayEqualized).map { abs(Int($0) - Int($1)) }.max()!, 1)
        // Colour goes through 8 bits and is widened back.
        let rgba16 = DAC.image(4, 2, 4, ContrastTests.rgba).to16Bit()
        XCTAssertEqual(try DAC.run(HistogramEqualization(), rgba16),
                       try DAC.run(HistogramEqualization(), DAC.image(4, 2, 4, ContrastTests.rgba)).to16Bit())
        let empty = Image(width: 0, height: 0, channels: 3, bytes: [])
        XCTAssertEqual(try DAC.run(HistogramEqualization(), empty), empty)
        // Two channels: every channel on its own, as imgaug does (with a warning).
        let two = DAC.image(2, 1, 2, [10, 100, 20, 50])
        XCTAssertEqual(try DAC.run(HistogramEqualization(), two).bytes!, [0, 255, 255, 0])
    }

    func testHistogramEqualizationPipeline() throws {
        let h = try DAC.only("- HistogramEqualization: {to_colorspace: HSV, from_colorspace: BGR}", as: HistogramEqualization.self)
        XCTAssertEqual(h.toColorspace, "HSV")
        XCTAssertEqual(h.fromColorspace, "BGR")
        XCTAssertEqual(try DAC.only("- HistogramEqualization", as: HistogramEqualization.self).toColorspace, "Lab")
        _ = try DAC.only("- AllChannelsHistogramEqualization", as: AllChannelsHistogramEqualization.self)
        DAC.assertPipelineError("- HistogramEqualization: {to_colorspace: YCrCb}", key: "to_colorspace")
        DAC.assertPipelineError("- HistogramEqualization: {from_colorspace: GRAY}", key: "from_colorspace")
        try DAC.assertRoundTrip("""
        - HistogramEqualization: {from_colorspace: HLS, to_colorspace: HSV}
        - AllChannelsHistogramEqualization
        """)
    }
}
