import XCTest
import MedAugImage
@testable import MedAugAugment

/// filter2D and the Convolve augmenters (Sharpen, Emboss, EdgeDetect, DirectedEdgeDetect).
final class ConvolutionalTests: XCTestCase {
    private let a3x4 = BlurConv.gray([[10, 20, 30, 40], [50, 60, 70, 80], [90, 100, 110, 120]])

    // MARK: filter2D

    func testFilter2DIsACorrelationWithReflect101() {
        // Weight on the left neighbour: out[x] = in[x-1], and column -1 reflects to column 1.
        let left = Kernel2D(rows: [[1, 0, 0]])
        XCTAssertEqual(BlurConv.rows(filter2D(a3x4, left)),
                       [[20, 10, 20, 30], [60, 50, 60, 70], [100, 90, 100, 110]])
        // Weight below: out[y] = in[y+1], and row 3 reflects to row 1.
        let below = Kernel2D(rows: [[0], [0], [1]])
        XCTAssertEqual(BlurConv.rows(filter2D(a3x4, below)),
                       [[50, 60, 70, 80], [90, 100, 110, 120], [50, 60, 70, 80]])
    }

    func testFilter2DWeightedSumByHand() {
        // K = 0.5·I + 0.5·Laplacian = [[0, .5, 0], [.5, -1.5, .5], [0, .5, 0]].
        // (0,0): up = row 1 (50), left = col 1 (20): .5·50 + .5·20 − 1.5·10 + .5·20 + .5·50 = 55.
        let k = EdgeDetect.kernel(alpha: 0.5)
        BlurConv.assertKernel(k, [[0, 0.5, 0], [0.5, -1.5, 0.5], [0, 0.5, 0]])
        XCTAssertEqual(BlurConv.rows(filter2D(a3x4, k)), [[55, 50, 55, 50], [35, 30, 35, 30], [15, 10, 15, 10]])
    }

    func testFilter2DRoundsHalfToEvenAndClips() {
        // 0.5 · [1, 3, 5, 255] with a 1x1 kernel: 0.5 -> 0, 1.5 -> 2, 2.5 -> 2, 127.5 -> 128.
        let img = BlurConv.gray([[1, 3, 5, 255]])
        XCTAssertEqual(BlurConv.rows(filter2D(img, Kernel2D(rows: [[0.5]]))), [[0, 2, 2, 128]])
        XCTAssertEqual(BlurConv.rows(filter2D(img, Kernel2D(rows: [[-1]]))), [[0, 0, 0, 0]])
        XCTAssertEqual(BlurConv.rows(filter2D(img, Kernel2D(rows: [[3]]))), [[3, 9, 15, 255]])
        let img16 = Image(width: 2, height: 1, channels: 1, samples16: [3, 40000])
        XCTAssertEqual(BlurConv.rows(filter2D(img16, Kernel2D(rows: [[2.5]]))), [[8, 65535]])
    }

    func testFilter2DKernelLargerThanImage() {
        // A 5x5 vertical line on a 1x3 row: every tap reads row 0 again, so the row is unchanged.
        var w = [Float](repeating: 0, count: 25)
        for r in 0..<5 { w[r * 5 + 2] = 0.2 }
        let row = BlurConv.gray([[0, 100, 200]])
        XCTAssertEqual(filter2D(row, Kernel2D(width: 5, height: 5, weights: w)), row)
        // An 11-wide box on the same row: 1000 / 11 = 90.9 -> 91, as the box filter gives.
        let box = Kernel2D(width: 11, height: 1, weights: [Float](repeating: 1.0 / 11, count: 11))
        XCTAssertEqual(BlurConv.rows(filter2D(row, box)), [[91, 100, 109]])
    }

    func testFilter2DTreatsChannelsIndependentlyIncludingAlpha() {
        let rgba = BlurConv.pattern(width: 6, height: 5, channels: 4)
        let k = Sharpen.kernel(alpha: 0.7, lightness: 1.1)
        let out = filter2D(rgba, k)
        let b = rgba.bytes!
        for ch in 0..<4 {
            let plane = Image(width: 6, height: 5, channels: 1, bytes: stride(from: ch, to: b.count, by: 4).map { b[$0] })
            XCTAssertEqual(stride(from: ch, to: b.count, by: 4).map { out.bytes![$0] }, filter2D(plane, k).bytes!)
        }
    }

    func testFilter2DIdentityAndEmpty() {
        let img = BlurConv.pattern(width: 5, height: 4, channels: 3)
        XCTAssertEqual(filter2D(img, Sharpen.kernel(alpha: 0, lightness: 1.3)), img)
        let empty = Image(width: 0, height: 4, channels: 3)
        XCTAssertEqual(filter2D(empty, EdgeDetect.kernel(alpha: 1)), empty)
    }

    // MARK: kernels

    func testSharpenClassicKernel() {
        // SPEC: alpha 1, lightness 1 -> [[-1,-1,-1],[-1,9,-1],[-1,-1,-1]].
        BlurConv.assertKernel(Sharpen.kernel(alpha: 1, lightness: 1), [[-1, -1, -1], [-1, 9, -1], [-1, -1, -1]])
        // Centre 1 + α(7 + L), sum 1 − α + αL.
        let k = Sharpen.kernel(alpha: 0.25, lightness: 1.2)
        XCTAssertEqual(k[1, 1], 1 + 0.25 * 8.2, accuracy: 1e-6)
        XCTAssertEqual(k.sum, 1 - 0.25 + 0.25 * 1.2, accuracy: 1e-6)
    }

    func testEmbossKernel() {
        // s = 0.5, α = 1: [[-1.5, -0.5, 0], [-0.5, 1, 0.5], [0, 0.5, 1.5]], summing to 1.
        BlurConv.assertKernel(Emboss.kernel(alpha: 1, strength: 0.5), [[-1.5, -0.5, 0], [-0.5, 1, 0.5], [0, 0.5, 1.5]])
        XCTAssertEqual(Emboss.kernel(alpha: 0.3, strength: 0.8).sum, 1, accuracy: 1e-6)
    }

    func testEdgeDetectKernel() {
        BlurConv.assertKernel(EdgeDetect.kernel(alpha: 1), [[0, 1, 0], [1, -4, 1], [0, 1, 0]])
        XCTAssertEqual(EdgeDetect.kernel(alpha: 0.6).sum, 0.4, accuracy: 1e-6)
    }

    func testDirectedEdgeDetectDirectionZero() {
        // SPEC [verified]: direction 0 (up).
        BlurConv.assertKernel(Kernel2D(width: 3, height: 3, weights: DirectedEdgeDetect.effect(direction: 0)),
                              [[-0.1792, -0.5664, -0.1792], [-0.0354, 1, -0.0354], [-0.0022, 0, -0.0022]], accuracy: 5e-5)
        XCTAssertEqual(DirectedEdgeDetect.kernel(alpha: 1, direction: 0).sum, 0, accuracy: 1e-6)
    }

    func testDirectedEdgeDetectRotatesClockwise() {
        // 0.25 points right: the direction-0 kernel turned a quarter clockwise.
        let up = DirectedEdgeDetect.effect(direction: 0)
        let right = DirectedEdgeDetect.effect(direction: 0.25)
        for r in 0..<3 { for c in 0..<3 {
            // Clockwise quarter turn: (r, c) of the result is (2 − c, r) of the original.
            XCTAssertEqual(right[r * 3 + c], up[(2 - c) * 3 + r], accuracy: 1e-6)
        } }
        // Whole degrees, truncated, with Python's modulo: -0.75 turns is 90 degrees, as is 1.25.
        XCTAssertEqual(DirectedEdgeDetect.effect(direction: -0.75), right)
        XCTAssertEqual(DirectedEdgeDetect.effect(direction: 1.25), right)
        XCTAssertEqual(DirectedEdgeDetect.effect(direction: 0.2509), right)
    }

    // MARK: augmenters

    func testConvolveAugmentersSurviveEdgeShapes() {
        BlurConv.assertEdgeShapes(Sharpen(), sixteen: true)
        BlurConv.assertEdgeShapes(Emboss(), sixteen: true)
        BlurConv.assertEdgeShapes(EdgeDetect(), sixteen: true)
        BlurConv.assertEdgeShapes(DirectedEdgeDetect(), sixteen: true)
    }

    func testAugmentersUseTheirSampledKernel() throws {
        let img = BlurConv.smooth(width: 10, height: 7, channels: 3)
        var ctx = BlurConv.context()
        let out = try Sharpen(alpha: .constant(0.4), lightness: .constant(0.9)).augment(img, &ctx)
        XCTAssertEqual(out, filter2D(img, Sharpen.kernel(alpha: 0.4, lightness: 0.9)))
        XCTAssertEqual(try BlurConv.run(Emboss(alpha: .constant(0.5), strength: .constant(0.7)), img),
                       filter2D(img, Emboss.kernel(alpha: 0.5, strength: 0.7)))
        XCTAssertEqual(try BlurConv.run(EdgeDetect(alpha: .constant(0.3)), img), filter2D(img, EdgeDetect.kernel(alpha: 0.3)))
        XCTAssertEqual(try BlurConv.run(DirectedEdgeDetect(alpha: .constant(0.8), direction: .constant(0.6)), img),
                       filter2D(img, DirectedEdgeDetect.kernel(alpha: 0.8, direction: 0.6)))
        XCTAssertEqual(ctx.trace![0].values.map(\.0), ["alpha", "lightness"])
    }

    func testAlphaOutsideUnitIntervalIsRefusedAtDrawTime() {
        let img = BlurConv.pattern(width: 4, height: 4, channels: 1)
        XCTAssertThrowsError(try BlurConv.run(Sharpen(alpha: .constant(1.5)), img)) { XCTAssertTrue($0 is AugmentError) }
        XCTAssertThrowsError(try BlurConv.run(EdgeDetect(alpha: .constant(-0.1)), img)) { XCTAssertTrue($0 is AugmentError) }
    }

    // MARK: pipeline files

    func testPipelineParsing() throws {
        let p = try PipelineReader.parse("""
        - Sharpen: {alpha: [0, 1.0], lightness: [0.75, 1.5]}
        - Emboss: {alpha: [0, 1.0], strength: [0, 2.0]}
        - EdgeDetect: {alpha: [0.5, 1.0]}
        - DirectedEdgeDetect: {alpha: [0.5, 1.0], direction: [0, 1.0]}
        - Sharpen
        """, format: .yaml)
        let s = try XCTUnwrap(p.children[0] as? Sharpen)
        XCTAssertEqual([s.alpha, s.lightness], [.range(0, 1), .range(0.75, 1.5)])
        XCTAssertEqual((p.children[1] as? Emboss)?.strength, .range(0, 2))
        XCTAssertEqual((p.children[2] as? EdgeDetect)?.alpha, .range(0.5, 1))
        XCTAssertEqual((p.children[3] as? DirectedEdgeDetect)?.direction, .range(0, 1))
        let d = try XCTUnwrap(p.children[4] as? Sharpen)
        XCTAssertEqual([d.alpha, d.lightness], [.range(0, 0.2), .range(0.8, 1.2)])
        let e = try BlurConv.only("- Emboss", as: Emboss.self)
        XCTAssertEqual([e.alpha, e.strength], [.range(0, 1), .range(0.25, 1)])
        let dd = try BlurConv.only("- DirectedEdgeDetect", as: DirectedEdgeDetect.self)
        XCTAssertEqual([dd.alpha, dd.direction], [.range(0, 0.75), .range(0, 1)])
    }

    func testBadValuesNameTheKey() {
        BlurConv.assertRejects("- Sharpen: {alpha: 1.2}", key: "alpha")
        BlurConv.assertRejects("- Sharpen: {lightness: -0.1}", key: "lightness")
        BlurConv.assertRejects("- Emboss: {strength: [-1, 1]}", key: "strength")
        BlurConv.assertRejects("- EdgeDetect: {alpha: [0, 2]}", key: "alpha")
        BlurConv.assertRejects("- DirectedEdgeDetect: {alpha: {choice: [0.5, -1]}}", key: "alpha")
        BlurConv.assertRejects("- DirectedEdgeDetect: {direction: fast}", key: "direction")
        BlurConv.assertRejects("- EdgeDetect: {strength: 1}", key: "strength")
    }

    func testRoundTrip() throws {
        try BlurConv.assertRoundTrip([
            Sharpen(), Sharpen(alpha: .constant(0.5), lightness: Continuous(.choice([0.9, 1.1]))),
            Emboss(), Emboss(alpha: .range(0.2, 0.4), strength: .constant(1.75)),
            EdgeDetect(), EdgeDetect(alpha: .constant(1)),
            DirectedEdgeDetect(), DirectedEdgeDetect(alpha: .constant(0.25), direction: .range(-0.5, 1.5)),
        ])
    }
}
