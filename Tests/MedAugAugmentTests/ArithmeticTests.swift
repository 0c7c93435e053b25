import XCTest
import MedAugImage
@testable import MedAugAugment

final class ArithmeticTests: XCTestCase {
    // MARK: Multiply

    func testMultiplyTableTruncatesLikeImgaug() {
        // SPEC §1.6 [verified]: 3 x 0.5 -> 1, 5 x 0.5 -> 2, 3 x 1.5 -> 4.
        let half = MultiplyPixels.table(0.5)
        XCTAssertEqual(half[3], 1)
        XCTAssertEqual(half[5], 2)
        XCTAssertEqual(MultiplyPixels.table(1.5)[3], 4)
        XCTAssertEqual(MultiplyPixels.table(1.5)[200], 255)
        XCTAssertEqual(MultiplyPixels.table(-1)[100], 0)
        XCTAssertEqual(MultiplyPixels.table(1), (0..<256).map { UInt8($0) })
        // The product is float32: 1.3 is 1.29999995 there, so 90 x 1.3 = 116.99999 -> 116 (imgaug too).
        XCTAssertEqual(MultiplyPixels.table(1.3)[90], 116)
    }

    func testMultiplyMatchesImgaugOnAnImage() throws {
        let img = DAC.image(8, 5, 3, ColorReference.brightnessInput)
        for (m, expected) in [(0.5, ColorReference.mul0_5), (1.5, ColorReference.mul1_5), (0.77, ColorReference.mul0_77)] {
            XCTAssertEqual(try DAC.run(Multiply(m), img).bytes!, expected, "mul \(m)")
        }
    }

    func testMultiplyPerChannel() {
        let img = DAC.image(2, 1, 3, [100, 100, 100, 10, 20, 30])
        let out = MultiplyPixels.apply(img, multipliers: [0.5, 1, 2])
        XCTAssertEqual(out.bytes!, [50, 100, 200, 5, 20, 60])
    }

    func testMultiply16BitRoundsAndClips() {
        let img = Image(width: 4, height: 1, channels: 1, samples16: [3, 5, 50000, 40001])
        XCTAssertEqual(MultiplyPixels.apply(img, multipliers: [0.5]).samples16!, [2, 2, 25000, 20000])
        XCTAssertEqual(MultiplyPixels.apply(img, multipliers: [1.5]).samples16!, [4, 8, 65535, 60002])
    }

    func testMultiplyPerChannelDrawsDifferentValues() throws {
        let img = DAC.image(1, 1, 3, [100, 100, 100])
        var differs = false
        for seed in 0..<20 as Range<UInt64> {
            let out = try DAC.run(Multiply(mul: .range(0.5, 1.5), perChannel: .constant(1)), img, seed: seed).bytes!
            if Set(out).count > 1 { differs = true }
            let shared = try DAC.run(Multiply(mul: .range(0.5, 1.5)), img, seed: seed).bytes!
            XCTAssertEqual(Set(shared).count, 1, "without per_channel all channels get one factor")
        }
        XCTAssertTrue(differs)
    }

    // MARK: Add

    func testAddRoundsTheValueHalfToEven() {
        // SPEC §1.6/§10: the value is rounded half to even before the table: 2.5 -> 2, 1.5 -> 2, -2.5 -> -2.
        XCTAssertEqual(AddPixels.roundedValue(2.5), 2)
        XCTAssertEqual(AddPixels.roundedValue(1.5), 2)
        XCTAssertEqual(AddPixels.roundedValue(-2.5), -2)
        XCTAssertEqual(AddPixels.roundedValue(0.5), 0)
        XCTAssertEqual(AddPixels.roundedValue(300), 255)
        XCTAssertEqual(AddPixels.roundedValue(-1000), -255)
        let img = DAC.image(4, 1, 1, [0, 1, 250, 255])
        XCTAssertEqual(AddPixels.apply(img, values: [2.5]).bytes!, [2, 3, 252, 255])
        XCTAssertEqual(AddPixels.apply(img, values: [-3.5]).bytes!, [0, 0, 246, 251])
    }

    func testAddMatchesImgaugOnAnImage() throws {
        let img = DAC.image(8, 5, 3, ColorReference.brightnessInput)
        for (v, expected) in [(2.5, ColorReference.add2_5), (-3.5, ColorReference.addm3_5), (100.7, ColorReference.add100_7)] {
            XCTAssertEqual(try DAC.run(Add(v), img).bytes!, expected, "add \(v)")
        }
    }

    func testAdd16BitRoundsTheSum() {
        // imgaug adds in float32 and rounds the sum half to even: 0 + 0.5 -> 0, 1 + 0.5 -> 2, 100 + 0.5 -> 100.
        let img = Image(width: 4, height: 1, channels: 1, samples16: [0, 1, 100, 65535])
        XCTAssertEqual(AddPixels.apply(img, values: [0.5]).samples16!, [0, 2, 100, 65535])
        XCTAssertEqual(AddPixels.apply(img, values: [-3.7]).samples16!, [0, 0, 96, 65531])
    }

    func testAddPerChannelFirstValueWhenShared() throws {
        // Without per_channel the first of the C drawn values is used for every channel.
        var rng = AugmentRandom(seed: 99)
        let v = ArithmeticConfig.sampleChannelValues(.range(-20, 20), .constant(0), channels: 4, &rng)
        var rng2 = AugmentRandom(seed: 99)
        let all = ArithmeticConfig.sampleChannelValues(.range(-20, 20), .constant(1), channels: 4, &rng2)
        XCTAssertEqual(v.count, 1)
        XCTAssertEqual(all.count, 4)
        XCTAssertEqual(v[0], all[0])
    }

    func testArithmeticEdgeShapesAnd16Bit() {
        DAC.assertEdgeShapes(Multiply(), sixteen: true)
        DAC.assertEdgeShapes(Add(), sixteen: true)
        DAC.assertEdgeShapes(Multiply(mul: .range(0.5, 1.5), perChannel: .constant(1)), sixteen: true)
        DAC.assertEdgeShapes(Add(value: .range(-40, 40), perChannel: .constant(0.5)), sixteen: true)
    }

    func testAlphaChangesToo() throws {
        let img = DAC.image(1, 1, 4, [100, 100, 100, 100])
        XCTAssertEqual(try DAC.run(Multiply(0.5), img).bytes!, [50, 50, 50, 50])
        XCTAssertEqual(try DAC.run(Add(10), img).bytes!, [110, 110, 110, 110])
    }

    func testTraceRecordsValues() throws {
        var ctx = DAC.context()
        _ = try Multiply(1.25).augment(DAC.pattern(width: 2, height: 2, channels: 1), &ctx)
        _ = try Add(value: .constant(-4), perChannel: .constant(1)).augment(DAC.pattern(width: 2, height: 2, channels: 3), &ctx)
        XCTAssertEqual(ctx.trace!.map(\.description), ["Multiply(mul=1.25)", "Add(value=-4,-4,-4)"])
    }

    // MARK: pipeline files

    func testParseMultiplyAndAdd() throws {
        let m = try DAC.only("- Multiply: {mul: [0.5, 1.5], per_channel: 0.5}", as: Multiply.self)
        XCTAssertEqual(m.mul, .range(0.5, 1.5))
        XCTAssertEqual(m.perChannel, .constant(0.5))
        let a = try DAC.only("- Add: {value: {choice: [-10, 10]}, per_channel: true}", as: Add.self)
        XCTAssertEqual(a.value, Continuous(.choice([-10, 10])))
        XCTAssertEqual(a.perChannel, .constant(1))
        let d = try DAC.only("- Add", as: Add.self)
        XCTAssertEqual(d.value, .range(-20, 20))
        XCTAssertEqual(d.perChannel, .constant(0))
        XCTAssertEqual(try DAC.only("- Multiply: {}", as: Multiply.self).mul, .range(0.8, 1.2))
    }

    func testBadArithmeticValuesNameTheKey() {
        DAC.assertPipelineError("- Multiply: {mul: fast}", key: "mul")
        DAC.assertPipelineError("- Multiply: {per_channel: 1.5}", key: "per_channel")
        DAC.assertPipelineError("- Add: {per_channel: [0.1, 0.2]}", key: "per_channel")
        DAC.assertPipelineError("- Add: {value: [1, 2, 3]}", key: "value")
        DAC.assertPipelineError("- Add: {valu: 3}", key: "valu")
    }

    func testArithmeticRoundTrip() throws {
        try DAC.assertRoundTrip("""
        - Multiply: {mul: [0.5, 1.5], per_channel: 0.5}
        - Multiply: {mul: 1.2}
        - Add: {value: [-10, 10], per_channel: true}
        - Add: {value: {choice: [-5, 0, 5]}}
        """)
    }
}
