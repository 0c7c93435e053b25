import XCTest
import MedAugImage
@testable import MedAugAugment

/// The Blur family's pixel functions against hand-computed values and the
/// SPEC's worked examples. Literals marked "OpenCV 4.7" were produced by
/// cv2 4.7.0 (the SPEC's reference version) on the same input.
final class BlurKernelTests: XCTestCase {
    private let a3x4 = BlurConv.gray([[10, 20, 30, 40], [50, 60, 70, 80], [90, 100, 110, 120]])

    // MARK: GaussianBlur

    func testGaussianKernelSizeRuleMatchesSpecTable() {
        let table: [(Double, Int)] = [(1, 5), (2, 7), (2.5, 9), (3, 9), (4, 11), (10, 27)]
        for (sigma, k) in table {
            XCTAssertEqual(GaussianBlurKernel.kernelSize(sigma: sigma), k, "sigma \(sigma)")
        }
        // Minimum 5, truncation, then odd: 3.3 * 1.6 = 5.28 -> 5; 3.3 * 1.9 = 6.27 -> 6 -> 7.
        XCTAssertEqual(GaussianBlurKernel.kernelSize(sigma: 0.01), 5)
        XCTAssertEqual(GaussianBlurKernel.kernelSize(sigma: 1.6), 5)
        XCTAssertEqual(GaussianBlurKernel.kernelSize(sigma: 1.9), 7)
        XCTAssertEqual(GaussianBlurKernel.kernelSize(sigma: 5), 13) // 2.6 * 5 = 13
    }

    func testGaussianWeightsAreOpenCVs() {
        // cv2.getGaussianKernel(5, 1) and (7, 2), OpenCV 4.7.
        let k5 = GaussianBlurKernel.weights(size: 5, sigma: 1)
        for (a, b) in zip(k5, [0.054488684549642945, 0.24420134200323335, 0.40261994689424746, 0.24420134200323335, 0.054488684549642945]) {
            XCTAssertEqual(a, b, accuracy: 1e-15)
        }
        let k7 = GaussianBlurKernel.weights(size: 7, sigma: 2)
        for (a, b) in zip(k7, [0.07015932695902606, 0.13107487896736597, 0.19071282356963734, 0.21610594100794114,
                               0.19071282356963734, 0.13107487896736597, 0.07015932695902606]) {
            XCTAssertEqual(a, b, accuracy: 1e-15)
        }
    }

    func testGaussianFixedPointWeightsSumExactlyToOne() {
        // 256 * [0.05449, 0.24420, 0.40262]: 13.95 -> 14 (error -0.05), 62.515 - 0.05 -> 62; the centre takes the rest.
        XCTAssertEqual(GaussianBlurKernel.fixedPointWeights(size: 5, sigma: 1), [14, 62, 104, 62, 14])
        for sigma in [0.3, 0.7, 1.3, 2.2, 3.7, 6.1, 9.0] {
            let k = GaussianBlurKernel.kernelSize(sigma: sigma)
            XCTAssertEqual(GaussianBlurKernel.fixedPointWeights(size: k, sigma: sigma).reduce(0, +), 256)
            XCTAssertEqual(GaussianBlurKernel.fixedPointWeights(size: k, sigma: sigma, fractionBits: 16).reduce(0, +), 65536)
        }
    }

    func testGaussianImpulseIsTheFixedPointOuterProduct() {
        var px = [UInt8](repeating: 0, count: 81)
        px[40] = 255
        let out = GaussianBlurKernel.apply(Image(width: 9, height: 9, channels: 1, bytes: px), sigma: 1)
        // (255 * ky * kx + 2^15) >> 16 with k = [14, 62, 104, 62, 14]; OpenCV 4.7 gives the same.
        let expected = [[1, 3, 6, 3, 1], [3, 15, 25, 15, 3], [6, 25, 42, 25, 6], [3, 15, 25, 15, 3], [1, 3, 6, 3, 1]]
        let rows = BlurConv.rows(out)
        XCTAssertEqual(rows[2..<7].map { Array($0[2..<7]) }, expected)
        XCTAssertEqual(rows[0], [0, 0, 0, 0, 0, 0, 0, 0, 0])
    }

    func testGaussianSmallImageReflectsAtTheBorder() {
        // OpenCV 4.7: the 5x5 kernel on a 3x4 image reaches two samples past every edge.
        XCTAssertEqual(BlurConv.rows(GaussianBlurKernel.apply(a3x4, sigma: 1)),
                       [[45, 49, 57, 61], [57, 61, 69, 73], [69, 73, 81, 85]])
        // A 7-tap kernel on a 1x3 row: reflection repeats (OpenCV 4.7: [105, 100, 95]).
        XCTAssertEqual(BlurConv.rows(GaussianBlurKernel.apply(BlurConv.gray([[0, 100, 200]]), sigma: 2)), [[105, 100, 95]])
    }

    func testGaussianTinySigmaIsNoOp() {
        let img = BlurConv.pattern(width: 6, height: 5, channels: 3)
        XCTAssertEqual(GaussianBlurKernel.apply(img, sigma: 0), img)
        XCTAssertEqual(GaussianBlurKernel.apply(img, sigma: 0.001), img)
        XCTAssertNotEqual(GaussianBlurKernel.apply(img, sigma: 0.5), img)
    }

    func testGaussianConstantImageStaysConstantIn8And16Bit() {
        let c8 = Image(width: 5, height: 4, channels: 3, fill: 77)
        XCTAssertEqual(GaussianBlurKernel.apply(c8, sigma: 2.3), c8)
        let c16 = Image(width: 5, height: 4, channels: 1, samples16: [UInt16](repeating: 40000, count: 20))
        XCTAssertEqual(GaussianBlurKernel.apply(c16, sigma: 4), c16)
    }

    func testGaussian16BitTracks8BitResult() {
        let img = BlurConv.smooth(width: 20, height: 15, channels: 3)
        let r8 = GaussianBlurKernel.apply(img, sigma: 1.5).bytes!
        let r16 = GaussianBlurKernel.apply(img.to16Bit(), sigma: 1.5).samples16!
        for (a, b) in zip(r8, r16) { XCTAssertEqual(Double(b) / 257, Double(a), accuracy: 1.0) }
    }

    // MARK: AverageBlur / BoxFilter

    func testBoxFilterEvenSizeLeansTopLeft() {
        // 2x2 window covers [x-1, x] x [y-1, y]; reflect-101 makes row -1 = row 1 and col -1 = col 1.
        // (0,0): (60 + 50 + 20 + 10) / 4 = 35; (0,3): (70+80+30+40)/4 = 55; (2,1): (50+60+90+100)/4 = 75.
        XCTAssertEqual(BlurConv.rows(BoxFilter.apply(a3x4, kernelWidth: 2, kernelHeight: 2)),
                       [[35, 35, 45, 55], [35, 35, 45, 55], [75, 75, 85, 95]])
    }

    func testBoxFilterAxesAreWidthAndHeight() {
        // 3 wide, 1 tall: (20 + 10 + 20) / 3 = 16.67 -> 17 at the left edge.
        XCTAssertEqual(BlurConv.rows(BoxFilter.apply(a3x4, kernelWidth: 3, kernelHeight: 1)),
                       [[17, 20, 30, 33], [57, 60, 70, 73], [97, 100, 110, 113]])
        // 1 wide, 3 tall: (50 + 10 + 50) / 3 = 36.67 -> 37.
        XCTAssertEqual(BlurConv.rows(BoxFilter.apply(a3x4, kernelWidth: 1, kernelHeight: 3)),
                       [[37, 47, 57, 67], [50, 60, 70, 80], [63, 73, 83, 93]])
    }

    func testBoxFilterKernelLargerThanImage() {
        // 1x3 row, 11x11 box: reflect-101 with period 4 repeats 100,0,100,200,...
        // x=0 sees 100,0,100,200,100,0,100,200,100,0,100 -> 1000/11 = 90.9 -> 91.
        XCTAssertEqual(BlurConv.rows(BoxFilter.apply(BlurConv.gray([[0, 100, 200]]), kernelWidth: 11, kernelHeight: 11)),
                       [[91, 100, 109]])
        // More than 256 samples (the float path) and a 1x1 image.
        let one = Image(width: 1, height: 1, channels: 3, bytes: [9, 99, 199])
        XCTAssertEqual(BoxFilter.apply(one, kernelWidth: 20, kernelHeight: 20), one)
    }

    func testBoxFilterRoundsLikeOpenCVsFixedPoint() {
        // Mean 2.5 of [2, 3] rounds up to 3 in OpenCV's 23-bit reciprocal ((5 + 1) * divScale >> 23).
        XCTAssertEqual(BlurConv.rows(BoxFilter.apply(BlurConv.gray([[2, 3]]), kernelWidth: 2, kernelHeight: 1)), [[3, 3]])
        // 16-bit: the mean rounded half to even (1500.5 -> 1500, 1501.5 -> 1502).
        let a16 = Image(width: 2, height: 1, channels: 1, samples16: [1000, 2001])
        XCTAssertEqual(BlurConv.rows(BoxFilter.apply(a16, kernelWidth: 2, kernelHeight: 1)), [[1500, 1500]])
        let b16 = Image(width: 2, height: 1, channels: 1, samples16: [1000, 2003])
        XCTAssertEqual(BlurConv.rows(BoxFilter.apply(b16, kernelWidth: 2, kernelHeight: 1)), [[1502, 1502]])
    }

    // MARK: MedianBlur

    func testMedianOnKnownImage() {
        let m = BlurConv.gray([[1, 9, 3, 7], [8, 2, 6, 4], [5, 5, 0, 9]])
        // (0,0) with replicated border: {1,1,9, 1,1,9, 8,8,2} -> sorted 1,1,1,1,2,8,8,9,9 -> 2.
        XCTAssertEqual(BlurConv.rows(MedianFilter.apply(m, size: 3)), [[2, 3, 6, 6], [5, 5, 5, 6], [5, 5, 5, 6]])
        XCTAssertEqual(BlurConv.rows(MedianFilter.apply(m, size: 5)), [[3, 5, 6, 7], [5, 5, 5, 7], [5, 5, 5, 7]])
    }

    func testMedianKernelLargerThanImage() {
        // Replicated border: x=0 sees six 0s, one 100, four 200s -> 0.
        XCTAssertEqual(BlurConv.rows(MedianFilter.apply(BlurConv.gray([[0, 100, 200]]), size: 11)), [[0, 100, 200]])
        let col = Image(width: 1, height: 3, channels: 1, bytes: [0, 100, 200])
        XCTAssertEqual(MedianFilter.apply(col, size: 11), col)
    }

    func testMedianMethodsAgreeWithPlainSelection() {
        // Networks (k = 3, 5), the bitwise count (k = 7 to 11), the sliding histogram (k >= 13) and the
        // plain selection must give the same medians.
        // Shapes cover the direct interior path, rows too narrow for it (whole rows through the
        // replicated strip) and rows narrower than one vector (plain selection).
        for (w, h, c) in [(23, 9, 1), (20, 7, 3), (17, 6, 4), (19, 5, 2), (17, 4, 1), (5, 6, 4), (9, 5, 1), (3, 4, 3)] {
            let img = BlurConv.pattern(width: w, height: h, channels: c, seed: UInt32(w))
            for k in [3, 5, 7, 9, 11, 13] {
                let fast = MedianFilter.apply(img, size: k)
                XCTAssertEqual(fast.bytes!, referenceMedian(img, k), "k=\(k) \(w)x\(h)x\(c)")
                let fast16 = MedianFilter.apply(img.to16Bit(), size: k)
                XCTAssertEqual(fast16.samples16!, referenceMedian(img, k).map { UInt16($0) * 257 }, "16-bit k=\(k)")
            }
        }
    }

    func testMedian3NetworkIsASelectionNetwork() {
        // 0-1 principle: a comparator network selects the median of every input iff it
        // does for all 2^9 inputs of 0s and 1s; one input per bit of a UInt64.
        for start in stride(from: 0, to: 512, by: 64) {
            var p = [UInt64](repeating: 0, count: 9)
            var expected: UInt64 = 0
            for bit in 0..<64 {
                let v = start + bit
                for i in 0..<9 where v >> i & 1 == 1 { p[i] |= 1 << UInt64(bit) }
                if v.nonzeroBitCount > 4 { expected |= 1 << UInt64(bit) }
            }
            func op(_ a: Int, _ b: Int) { let lo = p[a] & p[b], hi = p[a] | p[b]; p[a] = lo; p[b] = hi }
            // The comparators of MedianFilter.median9, in order.
            op(1, 2); op(4, 5); op(7, 8); op(0, 1); op(3, 4); op(6, 7); op(1, 2); op(4, 5)
            op(7, 8); op(0, 3); op(5, 8); op(4, 7); op(3, 6); op(1, 4); op(2, 5); op(4, 7)
            op(4, 2); op(6, 4); op(4, 2)
            XCTAssertEqual(p[4], expected)
        }
    }

    private func referenceMedian(_ img: Image, _ k: Int) -> [UInt8] {
        let w = img.width, h = img.height, c = img.channels, r = k / 2, s = img.bytes!
        var out = [UInt8](repeating: 0, count: s.count)
        for y in 0..<h { for x in 0..<w { for ch in 0..<c {
            var win: [UInt8] = []
            for dy in -r...r { for dx in -r...r {
                let yy = min(max(y + dy, 0), h - 1), xx = min(max(x + dx, 0), w - 1)
                win.append(s[(yy * w + xx) * c + ch])
            } }
            out[(y * w + x) * c + ch] = win.sorted()[win.count / 2]
        } } }
        return out
    }

    // MARK: BilateralBlur

    func testBilateralMatchesOpenCVOnSmallRGB() throws {
        var px = (0..<60).map { UInt8($0 * 4) }
        px[21] = 250; px[22] = 10; px[23] = 128
        let img = Image(width: 5, height: 4, channels: 3, bytes: px)
        let out = try BilateralFilter.apply(img, diameter: 5, sigmaColor: 60, sigmaSpace: 30)
        // cv2.bilateralFilter(img, 5, 60, 30), OpenCV 4.7: the outlier keeps its colour, its neighbours ignore it.
        let expected: [Int] = [12, 16, 20, 16, 20, 24, 25, 29, 33, 34, 38, 42, 40, 44, 48,
                               64, 68, 72, 72, 76, 80, 250, 10, 128, 96, 100, 104, 104, 108, 112,
                               128, 132, 136, 135, 139, 143, 144, 148, 152, 154, 158, 162, 160, 164, 168,
                               188, 192, 196, 193, 197, 201, 202, 206, 210, 212, 216, 220, 216, 220, 224]
        for (a, b) in zip(out.bytes!.map(Int.init), expected) { XCTAssertEqual(a, b, accuracy: 1) }
    }

    func testBilateralWeightsUseL1ColourDistanceOverAllChannels() throws {
        // Two flat halves 0 and 90: with sigma_color 10 the colour weight across the edge is
        // exp(-90^2/200) (gray, one channel) ~ 0, so the edge survives; with sigma_color huge it blurs.
        let px: [UInt8] = [0, 0, 90, 90, 0, 0, 90, 90]
        let img = Image(width: 4, height: 2, channels: 1, bytes: px)
        XCTAssertEqual(try BilateralFilter.apply(img, diameter: 3, sigmaColor: 10, sigmaSpace: 10), img)
        XCTAssertNotEqual(try BilateralFilter.apply(img, diameter: 3, sigmaColor: 1000, sigmaSpace: 10), img)
        // RGBA: the alpha difference counts in the distance and alpha is filtered too.
        let rgba = Image(width: 2, height: 1, channels: 4, bytes: [10, 10, 10, 0, 10, 10, 10, 255])
        let kept = try BilateralFilter.apply(rgba, diameter: 3, sigmaColor: 20, sigmaSpace: 5)
        XCTAssertEqual(kept, rgba)
        // With colour barely mattering, each alpha mixes with its neighbour by the disk's spatial weights:
        // x=0 sees itself at centre, up and down (reflected rows) and x=1 left and right: 255·1.96/4.92 -> 102.
        let mixed = try BilateralFilter.apply(rgba, diameter: 3, sigmaColor: 5000, sigmaSpace: 5)
        XCTAssertEqual(mixed.bytes![3], 102)
        XCTAssertEqual(mixed.bytes![7], 153)
        XCTAssertEqual(Array(mixed.bytes![0..<3]), [10, 10, 10])
    }

    func testBilateralRefuses16Bit() {
        XCTAssertThrowsError(try BilateralFilter.apply(Image(width: 2, height: 2, channels: 3, fill: 1).to16Bit(),
                                                       diameter: 3, sigmaColor: 10, sigmaSpace: 10))
    }

    // MARK: MotionBlur kernel

    func testMotionBlurVerticalUniformKernel() {
        // SPEC [verified]: k=5, angle=0, direction=0 -> the centre column holds 0.2 everywhere.
        let k = MotionBlurKernel.make(size: 5, angle: 0, direction: 0)
        var expected = [[Float]](repeating: [0, 0, 0, 0, 0], count: 5)
        for r in 0..<5 { expected[r][2] = 0.2 }
        BlurConv.assertKernel(k, expected)
    }

    func testMotionBlurRotatedDirectedKernel() {
        // SPEC [verified]: k=5, angle=90, direction=1 -> middle row [0, .099, .200, .300, .401].
        // The line 255*[1, .75, .5, .25, 0] truncates to [255, 191, 127, 63, 0] (sum 636) and turns clockwise.
        let k = MotionBlurKernel.make(size: 5, angle: 90, direction: 1)
        var expected = [[Float]](repeating: [0, 0, 0, 0, 0], count: 5)
        expected[2] = [0, 63 / 636, 127 / 636, 191 / 636, 255 / 636]
        BlurConv.assertKernel(k, expected)
        XCTAssertEqual(k[2, 1], 0.099, accuracy: 0.0005)
        XCTAssertEqual(k[2, 4], 0.401, accuracy: 0.0005)
    }

    func testMotionBlurKernelMatchesImgaugAtOddAngles() {
        // imgaug 0.4.0 _MotionBlurMatrixGenerator(k=3, angle=45, direction=0.2, order=1), rounded to 4 places.
        BlurConv.assertKernel(MotionBlurKernel.make(size: 3, angle: 45, direction: 0.2),
                              [[0, 0.0969, 0.2151], [0.0733, 0.3002, 0.0969], [0.1442, 0.0733, 0]], accuracy: 6e-5)
        // An even size becomes odd, and the weights always sum to 1.
        let k = MotionBlurKernel.make(size: 6, angle: 123.4, direction: -0.7)
        XCTAssertEqual(k.width, 7)
        XCTAssertEqual(k.sum, 1, accuracy: 1e-5)
        // Nearest and bicubic rotation are available too.
        for order in [0, 3] { XCTAssertEqual(MotionBlurKernel.make(size: 7, angle: 30, direction: 0.5, order: order).sum, 1, accuracy: 1e-5) }
    }

    func testMotionBlurFullTurnIsTheUnrotatedKernel() {
        XCTAssertEqual(MotionBlurKernel.make(size: 7, angle: 360, direction: 0.4),
                       MotionBlurKernel.make(size: 7, angle: 0, direction: 0.4))
        // 180 degrees flips the fall-off end to end.
        let up = MotionBlurKernel.make(size: 5, angle: 0, direction: 1)
        let down = MotionBlurKernel.make(size: 5, angle: 180, direction: 1)
        for r in 0..<5 { XCTAssertEqual(up[r, 2], down[4 - r, 2], accuracy: 1e-6) }
    }
}
