import XCTest
import MedAugImage
@testable import MedAugAugment

final class DropoutTests: XCTestCase {
    static let white = Image(width: 64, height: 48, channels: 3, fill: 255)

    // MARK: masks

    func testBernoulliKeepsTheRequestedFraction() {
        var rng = AugmentRandom(seed: 5)
        for keep in [0.1, 0.25, 0.5, 0.9] {
            let m = DropoutMask.bernoulli(count: 200_000, keep: keep, rng: &rng)
            let frac = Double(m.reduce(0) { $0 + Int($1) }) / Double(m.count)
            XCTAssertEqual(frac, keep, accuracy: 0.005, "keep \(keep)")
        }
        XCTAssertEqual(Set(DropoutMask.bernoulli(count: 1001, keep: 0, rng: &rng)), [0])
        XCTAssertEqual(Set(DropoutMask.bernoulli(count: 1001, keep: 1, rng: &rng)), [1])
        XCTAssertEqual(DropoutMask.bernoulli(count: 0, keep: 0.5, rng: &rng), [])
        XCTAssertEqual(DropoutMask.bernoulli(count: 3, keep: 0.5, rng: &rng).count, 3)
    }

    func testNearestIndicesFollowOpenCV() {
        // SPEC §1.7: 3 -> 8 gives 0,0,0,1,1,1,2,2 (not centred).
        XCTAssertEqual(DropoutMask.nearestIndices(src: 3, dst: 8), [0, 0, 0, 1, 1, 1, 2, 2])
        // cv2 computes x * (1 / (dst/src)) in double: 17 * (1 / (34/6)) is just under 3, so index 2 (checked with cv2 4.7).
        let i = DropoutMask.nearestIndices(src: 6, dst: 34)
        XCTAssertEqual(Array(i[12...18]), [2, 2, 2, 2, 2, 2, 3])
        XCTAssertEqual(DropoutMask.nearestIndices(src: 4, dst: 2), [0, 2])
        XCTAssertEqual(DropoutMask.nearestIndices(src: 5, dst: 5), [0, 1, 2, 3, 4])
    }

    func testApplyZeroesWholePixelsOrSingleSamples() {
        let img = DAC.image(2, 1, 3, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(DropoutMask.apply(img, mask: [1, 0]).bytes!, [1, 2, 3, 0, 0, 0])
        XCTAssertEqual(DropoutMask.apply(img, mask: [0, 1, 1, 1, 0, 1]).bytes!, [0, 2, 3, 4, 0, 6])
        let img16 = Image(width: 2, height: 1, channels: 1, samples16: [500, 600])
        XCTAssertEqual(DropoutMask.apply(img16, mask: [0, 1]).samples16!, [0, 600])
    }

    func testApplyCellsMatchesTheUpscaledMask() {
        // Zeroing cell rectangles must equal zeroing with the full-size nearest
        // mask: grids finer and coarser than the image, shared and per-channel masks.
        var g = AugmentRandom(seed: 9)
        for trial in 0..<200 {
            let w = 1 + g.nextInt(below: 30), h = 1 + g.nextInt(below: 20), cn = 1 + g.nextInt(below: 4)
            let ws = 1 + g.nextInt(below: 40), hs = 1 + g.nextInt(below: 25)
            let c = g.nextInt(below: 2) == 0 ? 1 : cn
            let cells = (0..<(ws * hs * c)).map { _ in UInt8(g.nextInt(below: 2)) }
            let img = Image(width: w, height: h, channels: cn, bytes: (0..<(w * h * cn)).map { _ in UInt8(1 + g.nextInt(below: 255)) })
            let mask = DropoutMask.upscaleNearest(cells, width: ws, height: hs, channels: c, toWidth: w, toHeight: h)
            XCTAssertEqual(DropoutMask.applyCells(img, cells: cells, width: ws, height: hs, channels: c),
                           DropoutMask.apply(img, mask: mask), "trial \(trial)")
            XCTAssertEqual(DropoutMask.applyCells(img.to16Bit(), cells: cells, width: ws, height: hs, channels: c),
                           DropoutMask.apply(img.to16Bit(), mask: mask), "16-bit trial \(trial)")
        }
    }

    func testDropoutProbabilityForms() {
        var rng = AugmentRandom(seed: 3)
        XCTAssertEqual(DropoutProbability.constant(0.3).sampleKeep(&rng), 0.7, accuracy: 1e-12)
        for _ in 0..<100 {
            let k = DropoutProbability.range(0.1, 0.2).sampleKeep(&rng)
            XCTAssertTrue(k >= 0.8 - 1e-7 && k <= 0.9 + 1e-7, "\(k)")
            let c = DropoutProbability(.choice([0.25, 0.5])).sampleKeep(&rng)
            XCTAssertTrue(c == 0.75 || c == 0.5)
        }
    }

    // MARK: Dropout

    func testDropoutP1ZeroesAndP0Keeps() throws {
        XCTAssertEqual(Set(try DAC.run(Dropout(1), Self.white).bytes!), [0])
        XCTAssertEqual(try DAC.run(Dropout(0), Self.white), Self.white)
        let rgba = DAC.pattern(width: 5, height: 4, channels: 4)
        XCTAssertEqual(Set(try DAC.run(Dropout(1, perChannel: true), rgba).bytes!), [0], "alpha is dropped too")
        let img16 = DAC.pattern16(width: 6, height: 3, channels: 3)
        XCTAssertEqual(Set(try DAC.run(Dropout(1), img16).samples16!), [0])
    }

    func testDropoutFractionAndWholePixels() throws {
        let out = try DAC.run(Dropout(0.3), Self.white).bytes!
        var zeroPixels = 0
        for i in stride(from: 0, to: out.count, by: 3) {
            let px = out[i..<i + 3]
            XCTAssertTrue(px.allSatisfy { $0 == 0 } || px.allSatisfy { $0 == 255 }, "a pixel is dropped in all channels together")
            if px.first == 0 { zeroPixels += 1 }
        }
        XCTAssertEqual(Double(zeroPixels) / Double(64 * 48), 0.3, accuracy: 0.04)
    }

    func testDropoutPerChannelMasksDiffer() throws {
        let out = try DAC.run(Dropout(0.5, perChannel: true), Self.white).bytes!
        var mixed = 0
        for i in stride(from: 0, to: out.count, by: 3) where Set(out[i..<i + 3]).count > 1 { mixed += 1 }
        // With independent channels about 3/4 of the pixels are partly dropped.
        XCTAssertGreaterThan(mixed, 64 * 48 / 2)
        let perChannelHalf = Dropout(p: .constant(0.5), perChannel: .constant(0.5))
        var sawBoth = (shared: false, independent: false)
        for seed in 0..<30 as Range<UInt64> {
            var ctx = DAC.context(seed)
            _ = try perChannelHalf.augment(DAC.pattern(width: 2, height: 2, channels: 3), &ctx)
            let pc = ctx.trace!.last!.values.first { $0.0 == "per_channel" }!.1
            if pc == "1" { sawBoth.independent = true } else { sawBoth.shared = true }
        }
        XCTAssertTrue(sawBoth.shared && sawBoth.independent, "per_channel=0.5 fires for some images only")
    }

    func testDropoutRangeDrawsOnePPerImage() throws {
        var ps: Set<String> = []
        for seed in 0..<20 as Range<UInt64> {
            var ctx = DAC.context(seed)
            _ = try Dropout(p: .range(0.1, 0.5)).augment(Self.white, &ctx)
            let p = Double(ctx.trace!.last!.values.first { $0.0 == "p" }!.1)!
            XCTAssertTrue(p > 0.1 - 1e-6 && p <= 0.5 + 1e-6)
            ps.insert(ctx.trace!.last!.values[0].1)
        }
        XCTAssertGreaterThan(ps.count, 10)
    }

    // MARK: CoarseDropout

    func testCoarseDropoutBlocksAreConstantPerCell() throws {
        let img = Image(width: 16, height: 16, channels: 1, fill: 200)
        var sawDrop = false, sawKeep = false
        for seed in 0..<10 as Range<UInt64> {
            let out = try DAC.run(CoarseDropout(p: .constant(0.5), size: .pixels(.constant(4))), img, seed: seed).bytes!
            for by in 0..<4 {
                for bx in 0..<4 {
                    var cell: Set<UInt8> = []
                    for y in by * 4..<by * 4 + 4 { for x in bx * 4..<bx * 4 + 4 { cell.insert(out[y * 16 + x]) } }
                    XCTAssertEqual(cell.count, 1, "4x4 cell (\(bx), \(by)) is one low-resolution sample")
                    if cell.first == 0 { sawDrop = true } else { sawKeep = true }
                }
            }
        }
        XCTAssertTrue(sawDrop && sawKeep)
    }

    func testCoarseDropoutUnevenCellsFollowNearestRule() throws {
        // min_size 3 lifts size_px 1 to a 3x3 grid; on 8 columns the cells are 3, 3 and 2 wide.
        let img = Image(width: 8, height: 8, channels: 1, fill: 9)
        let idx = DropoutMask.nearestIndices(src: 3, dst: 8)
        for seed in 0..<10 as Range<UInt64> {
            var ctx = DAC.context(seed)
            let out = try CoarseDropout(p: .constant(0.5), size: .pixels(.constant(1))).augment(img, &ctx).bytes!
            XCTAssertEqual(ctx.trace!.last!.values.first { $0.0 == "size" }!.1, "3x3")
            for y in 0..<8 { for x in 0..<8 {
                let ref = out[idx.firstIndex(of: idx[y])! * 8 + idx.firstIndex(of: idx[x])!]
                XCTAssertEqual(out[y * 8 + x], ref)
            } }
        }
    }

    func testCoarseDropoutSizePercentTruncates() throws {
        // int(0.5 * 10) = 5 rows, int(0.5 * 8) = 4 columns (both above min_size 3).
        var ctx = DAC.context()
        _ = try CoarseDropout(p: .constant(0.5), size: .percent(.constant(0.5))).augment(DAC.pattern(width: 8, height: 10, channels: 3), &ctx)
        XCTAssertEqual(ctx.trace!.last!.values.first { $0.0 == "size" }!.1, "5x4")
        // Tiny fractions fall back to min_size.
        var ctx2 = DAC.context()
        _ = try CoarseDropout(p: .constant(0.5), size: .percent(.range(0.02, 0.05)), minSize: 4).augment(DAC.pattern(width: 20, height: 20, channels: 1), &ctx2)
        XCTAssertEqual(ctx2.trace!.last!.values.first { $0.0 == "size" }!.1, "4x4")
    }

    func testCoarseDropoutPerChannelAndExtremes() throws {
        let out = try DAC.run(CoarseDropout(p: .constant(0.5), size: .pixels(.constant(8)), perChannel: .constant(1)), Self.white).bytes!
        var mixed = 0
        for i in stride(from: 0, to: out.count, by: 3) where Set(out[i..<i + 3]).count > 1 { mixed += 1 }
        XCTAssertGreaterThan(mixed, 0)
        XCTAssertEqual(Set(try DAC.run(CoarseDropout(p: .constant(1)), Self.white).bytes!), [0])
        XCTAssertEqual(try DAC.run(CoarseDropout(p: .constant(0)), Self.white), Self.white)
        // A grid larger than the image (min_size 3 on 2x2) is simply sampled down.
        let tiny = DAC.pattern(width: 2, height: 2, channels: 3)
        XCTAssertEqual(try DAC.run(CoarseDropout(p: .constant(0.5)), tiny).bytes!.count, 12)
    }

    // MARK: TotalDropout

    func testTotalDropoutDefaultDropsEverything() throws {
        XCTAssertEqual(Set(try DAC.run(TotalDropout(), DAC.pattern(width: 9, height: 7, channels: 4)).bytes!), [0])
        XCTAssertEqual(Set(try DAC.run(TotalDropout(), DAC.pattern16(width: 3, height: 2, channels: 1)).samples16!), [0])
        let img = DAC.pattern(width: 9, height: 7, channels: 3)
        XCTAssertEqual(try DAC.run(TotalDropout(0), img), img)
        var dropped = 0
        for seed in 0..<400 as Range<UInt64> where try DAC.run(TotalDropout(0.25), img, seed: seed) != img { dropped += 1 }
        XCTAssertEqual(Double(dropped) / 400, 0.25, accuracy: 0.07)
    }

    func testDropoutEdgeShapesAnd16Bit() {
        DAC.assertEdgeShapes(Dropout(), sixteen: true)
        DAC.assertEdgeShapes(Dropout(p: .constant(0.5), perChannel: .constant(1)), sixteen: true)
        DAC.assertEdgeShapes(CoarseDropout(), sixteen: true)
        DAC.assertEdgeShapes(CoarseDropout(p: .constant(0.5), size: .percent(.range(0.02, 0.5)), perChannel: .constant(1), minSize: 0), sixteen: true)
        DAC.assertEdgeShapes(CoarseDropout(p: .constant(0.5), size: .pixels(.range(50, 60))), sixteen: true)
        DAC.assertEdgeShapes(TotalDropout(0.5), sixteen: true)
    }

    // MARK: pipeline files

    func testParseDropoutFamily() throws {
        let d = try DAC.only("- Dropout: {p: [0.01, 0.1], per_channel: 0.5}", as: Dropout.self)
        XCTAssertEqual(d.p, .range(0.01, 0.1))
        XCTAssertEqual(d.perChannel, .constant(0.5))
        XCTAssertEqual(try DAC.only("- Dropout", as: Dropout.self).p, .range(0, 0.05))
        XCTAssertEqual(try DAC.only("- Dropout: {p: {choice: [0.1, 0.2]}}", as: Dropout.self).p, DropoutProbability(.choice([0.1, 0.2])))

        let c = try DAC.only("- CoarseDropout: {p: [0.03, 0.15], size_percent: [0.02, 0.05], per_channel: 0.2}", as: CoarseDropout.self)
        XCTAssertEqual(c.p, .range(0.03, 0.15))
        XCTAssertEqual(c.size, .percent(.range(0.02, 0.05)))
        XCTAssertEqual(c.perChannel, .constant(0.2))
        XCTAssertEqual(c.minSize, 3)
        let cd = try DAC.only("- CoarseDropout", as: CoarseDropout.self)
        XCTAssertEqual(cd.size, .pixels(.range(3, 8)))
        XCTAssertEqual(cd.p, .range(0.02, 0.1))
        let both = try DAC.only("- CoarseDropout: {size_px: 5, size_percent: 0.1, min_size: 1}", as: CoarseDropout.self)
        XCTAssertEqual(both.size, .pixels(.constant(5)), "size_px wins over size_percent")
        XCTAssertEqual(both.minSize, 1)

        XCTAssertEqual(try DAC.only("- TotalDropout", as: TotalDropout.self).p, .constant(1))
        XCTAssertEqual(try DAC.only("- TotalDropout: {p: 0.1}", as: TotalDropout.self).p, .constant(0.1))
    }

    func testBadDropoutValuesNameTheKey() {
        DAC.assertPipelineError("- Dropout: {p: 1.5}", key: "p")
        DAC.assertPipelineError("- Dropout: {p: [0.1, 0.05]}", key: "p")
        DAC.assertPipelineError("- Dropout: {p: [0.1, 0.1]}", key: "p")
        DAC.assertPipelineError("- Dropout: {p: {choice: [0.1, 2]}}", key: "p")
        DAC.assertPipelineError("- Dropout: {per_channel: maybe}", key: "per_channel")
        DAC.assertPipelineError("- CoarseDropout: {size_px: {choice: [3, 4, 5]}}", key: "size_px")
        DAC.assertPipelineError("- CoarseDropout: {min_size: 2.5}", key: "min_size")
        DAC.assertPipelineError("- CoarseDropout: {size: 3}", key: "size")
        DAC.assertPipelineError("- TotalDropout: {p: -0.1}", key: "p")
    }

    func testDropoutRoundTrip() throws {
        try DAC.assertRoundTrip("""
        - Dropout: {p: [0.01, 0.1], per_channel: 0.5}
        - Dropout: {p: 0.02}
        - CoarseDropout: {p: [0.03, 0.15], size_percent: [0.02, 0.05], per_channel: 0.2}
        - CoarseDropout: {p: 0.1, size_px: [2, 9], min_size: 2}
        - CoarseDropout
        - TotalDropout: {p: 0.1}
        - TotalDropout
        """)
    }
}
