import Foundation
import XCTest
import MedAugImage
@testable import MedAugAugment

/// Images and checks shared by the Segmentation tests.
enum SegTestImages {
    /// The integer pattern the scikit-image references below were computed on.
    static func pattern(width w: Int, height h: Int, channels c: Int) -> Image {
        var a = [UInt8](repeating: 0, count: w * h * c)
        for y in 0..<h {
            for x in 0..<w {
                for ch in 0..<c {
                    a[(y * w + x) * c + ch] = UInt8(((x / 5) * 60 + (y / 4) * 35 + ch * 70 + (x * y % 7) * 3) % 256)
                }
            }
        }
        return Image(width: w, height: h, channels: c, bytes: a)
    }

    /// Flat rectangles on a flat background: (x0, y0, x1, y1, colour).
    static func rectangles(width w: Int, height h: Int, background: [UInt8],
                           _ rects: [(Int, Int, Int, Int, [UInt8])]) -> (Image, [Int]) {
        var a = [UInt8](repeating: 0, count: w * h * 3)
        var region = [Int](repeating: 0, count: w * h)
        for y in 0..<h {
            for x in 0..<w {
                var colour = background
                for (i, r) in rects.enumerated() where x >= r.0 && x < r.2 && y >= r.1 && y < r.3 {
                    colour = r.4
                    region[y * w + x] = i + 1
                }
                for ch in 0..<3 { a[(y * w + x) * 3 + ch] = colour[ch] }
            }
        }
        return (Image(width: w, height: h, channels: 3, bytes: a), region)
    }

    /// A smooth colour field with some texture: what SLIC is made for.
    static func smooth(width w: Int, height h: Int, channels c: Int = 3) -> Image {
        var a = [UInt8](repeating: 0, count: w * h * c)
        for y in 0..<h {
            for x in 0..<w {
                let fx = Double(x) / Double(max(1, w)), fy = Double(y) / Double(max(1, h))
                let v: [Double] = [128 + 90 * sin(6.0 * fx + 2.0 * fy), 128 + 90 * cos(5.0 * fy - 3.0 * fx),
                                   128 + 60 * sin(9.0 * fx * fy + 1.0), 200 + 50 * cos(4.0 * fx)]
                for ch in 0..<c { a[(y * w + x) * c + ch] = UInt8(max(0, min(255, v[ch].rounded()))) }
            }
        }
        return Image(width: w, height: h, channels: c, bytes: a)
    }

    static func astronautLike(_ size: Int) -> Image { smooth(width: size, height: size) }

    /// Every label in 0..<count used, and each one a single 4-connected piece.
    static func checkLabels(_ r: SegmentationResult, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(r.labels.count, r.width * r.height, file: file, line: line)
        guard !r.labels.isEmpty else { XCTAssertEqual(r.count, 0, file: file, line: line); return }
        let used = Set(r.labels.map(Int.init))
        XCTAssertEqual(used, Set(0..<r.count), "labels are not contiguous 0..<count", file: file, line: line)
        var seen = [Bool](repeating: false, count: r.labels.count)
        var components = [Int](repeating: 0, count: r.count)
        for start in 0..<r.labels.count where !seen[start] {
            let l = r.labels[start]
            components[Int(l)] += 1
            var stack = [start]
            seen[start] = true
            while let p = stack.popLast() {
                let y = p / r.width, x = p % r.width
                for (dy, dx) in [(0, 1), (0, -1), (1, 0), (-1, 0)] {
                    let yy = y + dy, xx = x + dx
                    guard yy >= 0, yy < r.height, xx >= 0, xx < r.width else { continue }
                    let q = yy * r.width + xx
                    if !seen[q] && r.labels[q] == l { seen[q] = true; stack.append(q) }
                }
            }
        }
        XCTAssertEqual(components.filter { $0 != 1 }.count, 0, "some labels are in several pieces", file: file, line: line)
    }
}

final class SegmentationSLICTests: XCTestCase {
    // MARK: scikit-image references

    // skimage.segmentation.slic(img, n_segments=n, compactness=10) - 1 with
    // scikit-image 0.20.0 on SegTestImages.pattern.
    func testMatchesScikitImageOnRGB() {
        let expected: [Int32] = [0,0,0,0,0,0,0,0,0,0,1,1,1,1,1,1,1,1,0,0,0,0,0,0,0,0,0,0,1,1,1,1,1,1,2,2,0,0,0,0,0,0,0,0,0,0,1,1,1,1,1,2,2,2,0,0,0,0,0,0,0,0,0,0,1,1,1,1,1,2,2,2,0,0,0,0,0,0,0,0,0,0,1,1,1,1,1,2,2,2,0,0,0,0,0,0,0,0,0,0,1,1,1,1,1,2,2,2,0,0,0,0,0,0,0,0,0,0,1,1,1,1,1,2,2,2,0,0,0,0,0,0,0,0,0,0,1,1,1,1,1,2,2,2,0,0,0,0,0,3,3,3,3,3,2,2,2,2,2,2,2,2,0,0,0,0,0,3,3,3,3,3,2,2,2,2,2,2,2,2,0,0,0,0,0,3,3,3,3,3,2,2,2,2,2,2,2,2,0,0,0,0,0,3,3,3,3,3,2,2,2,2,2,2,2,2,0,0,0,0,3,3,3,3,3,3,2,2,2,2,2,2,2,2,0,0,0,0,3,3,3,3,3,3,2,2,2,2,2,2,2,2]
        let r = SLIC(nSegments: 6).segment(SegTestImages.pattern(width: 18, height: 14, channels: 3))
        XCTAssertEqual(r.count, 4)
        XCTAssertEqual(r.labels, expected)
    }

    func testMatchesScikitImageOnGray() {
        let expected: [Int32] = [0,0,0,0,0,0,0,1,1,1,1,1,1,2,2,2,2,2,0,0,0,0,0,0,0,1,1,1,1,1,1,2,2,2,2,2,0,0,0,0,0,0,0,1,1,1,1,1,1,2,2,2,2,2,0,0,0,0,0,0,0,1,1,1,1,1,1,2,2,2,2,2,0,0,0,0,0,0,0,1,1,1,1,1,1,2,2,2,2,2,0,0,0,0,0,0,0,1,1,1,1,1,1,2,2,2,2,2,0,0,0,0,0,0,0,1,1,1,1,1,1,2,2,2,2,2,3,3,3,3,3,3,3,4,4,4,4,4,4,5,5,5,5,5,3,3,3,3,3,3,3,4,4,4,4,4,4,5,5,5,5,5,3,3,3,3,3,3,3,4,4,4,4,4,4,5,5,5,5,5,3,3,3,3,3,3,3,4,4,4,4,4,4,5,5,5,5,5,3,3,3,3,3,3,3,4,4,4,4,4,4,5,5,5,5,5,3,3,3,3,3,3,3,4,4,4,4,4,4,5,5,5,5,5,3,3,3,3,3,3,3,4,4,4,4,4,4,5,5,5,5,5]
        let r = SLIC(nSegments: 6).segment(SegTestImages.pattern(width: 18, height: 14, channels: 1))
        XCTAssertEqual(r.count, 6)
        XCTAssertEqual(r.labels, expected)
    }

    func testMatchesScikitImageOnRGBA() {
        let row: [Int32] = [0,0,0,0,0,0,0,1,1,1,1,1,1,2,2,2,2,2,3,3,3,3,3]
        let r = SLIC(nSegments: 5).segment(SegTestImages.pattern(width: 23, height: 9, channels: 4))
        XCTAssertEqual(r.count, 4)
        XCTAssertEqual(r.labels, Array((0..<9).map { _ in row }.joined()))
    }

    // MARK: grid

    func testGridFollowsScikitImageRegularGrid() {
        // regular_grid((1, 20, 40), 8) -> slices (5, None, 10) on both axes (skimage's docstring).
        let g = SLICGrid(height: 20, width: 40, points: 8)
        XCTAssertEqual([g.startY, g.stepY, g.startX, g.stepX], [5, 10, 5, 10])
        XCTAssertEqual(g.count, 8)
        // regular_grid((1, 20, 40), 32) -> (2, None, 5).
        let h = SLICGrid(height: 20, width: 40, points: 32)
        XCTAssertEqual([h.startY, h.stepY, h.startX, h.stepX], [2, 5, 2, 5])
        // A 1 x 50 row: the short side holds one seed row, the long side 50 / n.
        let t = SLICGrid(height: 1, width: 50, points: 5)
        XCTAssertEqual([t.startY, t.stepY, t.startX, t.stepX], [0, 1, 5, 10])
        // More points than pixels: every pixel is a seed.
        let all = SLICGrid(height: 3, width: 4, points: 100)
        XCTAssertEqual(all.count, 12)
    }

    // MARK: behaviour

    func testQuadrantsGiveOneSegmentEach() {
        let (img, region) = SegTestImages.rectangles(
            width: 60, height: 60, background: [200, 40, 40],
            [(30, 0, 60, 30, [40, 200, 40]), (0, 30, 30, 60, [40, 40, 200]), (30, 30, 60, 60, [230, 230, 60])])
        let r = SLIC(nSegments: 4).segment(img)
        XCTAssertEqual(r.count, 4)
        for p in 0..<(60 * 60) {
            XCTAssertEqual(r.labels[p], Int32(region[p]), "pixel \(p)")
            if r.labels[p] != Int32(region[p]) { break }
        }
    }

    func testRectanglesAreNotStraddled() {
        let (img, region) = SegTestImages.rectangles(
            width: 120, height: 90, background: [200, 30, 30],
            [(10, 20, 60, 70, [30, 200, 30]), (70, 40, 115, 85, [30, 30, 200])])
        let r = SLIC(nSegments: 12).segment(img)
        SegTestImages.checkLabels(r)
        // Each segment lies (almost) inside one flat region.
        var counts = [[Int]](repeating: [0, 0, 0], count: r.count)
        for p in 0..<region.count { counts[Int(r.labels[p])][region[p]] += 1 }
        for (k, c) in counts.enumerated() {
            let purity = Double(c.max()!) / Double(c.reduce(0, +))
            XCTAssertGreaterThan(purity, 0.97, "segment \(k) straddles an edge: \(c)")
        }
        // And each rectangle is mostly covered by segments of its own.
        for rect in 1...2 {
            let inside = (0..<region.count).filter { region[$0] == rect }
            let pure = inside.filter { p in
                let c = counts[Int(r.labels[p])]
                return c.firstIndex(of: c.max()!) == rect
            }
            XCTAssertGreaterThan(Double(pure.count) / Double(inside.count), 0.97)
        }
    }

    func testCountIsNearRequestOnSmoothImage() {
        let r = SLIC(nSegments: 100).segment(SegTestImages.smooth(width: 160, height: 120))
        SegTestImages.checkLabels(r)
        XCTAssertGreaterThan(r.count, 60)
        XCTAssertLessThan(r.count, 140)
    }

    func testLabelsContiguousAndConnectedOnManyShapes() {
        for (w, h, c, n) in [(224, 224, 3, 100), (97, 150, 3, 60), (40, 130, 1, 30), (64, 48, 4, 25),
                             (50, 37, 2, 10), (7, 6, 3, 100), (33, 33, 3, 1)] {
            let r = SLIC(nSegments: n).segment(SegTestImages.smooth(width: w, height: h, channels: c))
            SegTestImages.checkLabels(r)
        }
        // Noise: skimage merges all the tiny pieces, but the labels stay well formed.
        var g = AugmentRandom(seed: 7)
        let noise = Image(width: 64, height: 80, channels: 3, bytes: (0..<(64 * 80 * 3)).map { _ in UInt8(g.nextInt(below: 256)) })
        SegTestImages.checkLabels(SLIC(nSegments: 40).segment(noise))
    }

    func testWithoutConnectivityLabelsAreRenumbered() {
        let r = SLIC(nSegments: 50, enforceConnectivity: false).segment(SegTestImages.smooth(width: 90, height: 70))
        XCTAssertEqual(Set(r.labels.map(Int.init)), Set(0..<r.count))
    }

    func testDeterministicAndIndependentOfThreads() {
        let img = SegTestImages.smooth(width: 120, height: 90)
        let a = SLIC(nSegments: 60, threads: 1).segment(img)
        XCTAssertEqual(a, SLIC(nSegments: 60, threads: 1).segment(img))
        // Row bands on several threads: the same labels however the rows are split.
        for threads in [2, 3, 7, 500] {
            XCTAssertEqual(a, SLIC(nSegments: 60, threads: threads).segment(img), "\(threads) threads")
        }
        XCTAssertEqual(a, SLIC(nSegments: 60).segment(img))
        // Large images sum their features row by row instead of all at once: the same labels.
        var rowByRow = SLIC(nSegments: 60, threads: 1)
        rowByRow.prefixLimit = 0
        XCTAssertEqual(a, rowByRow.segment(img))
    }

    func testPackedAssignmentGivesTheReferenceLabels() {
        // The packed round keeps the label in the distance's low bits; the
        // reference round keeps them apart. Same labels on textured, flat,
        // edged, gray, RGBA, odd-sized and narrow images, with and without bands.
        let (rects, _) = SegTestImages.rectangles(width: 77, height: 53, background: [30, 60, 90],
                                                  [(5, 5, 30, 20, [200, 40, 40]), (40, 10, 70, 45, [20, 220, 60])])
        var g = AugmentRandom(seed: 11)
        let noise = Image(width: 64, height: 80, channels: 3, bytes: (0..<(64 * 80 * 3)).map { _ in UInt8(g.nextInt(below: 256)) })
        let cases: [(Image, Int)] = [
            (SegTestImages.smooth(width: 120, height: 90), 60), (noise, 40), (rects, 12),
            (SegTestImages.pattern(width: 61, height: 37, channels: 1), 20),
            (SegTestImages.smooth(width: 45, height: 70, channels: 4), 15),
            (Image(width: 40, height: 40, channels: 3, fill: 90), 4),
            (SegTestImages.smooth(width: 200, height: 9), 30),
            // Windows narrower than a chunk.
            (SegTestImages.smooth(width: 5, height: 40), 8), (SegTestImages.pattern(width: 3, height: 25, channels: 4), 5),
        ]
        for (i, (img, n)) in cases.enumerated() {
            for threads in [1, 3] {
                var exact = SLIC(nSegments: n, enforceConnectivity: false, threads: threads)
                exact.referenceAssign = true
                let packed = SLIC(nSegments: n, enforceConnectivity: false, threads: threads)
                XCTAssertEqual(packed.segment(img), exact.segment(img), "case \(i), \(threads) threads")
            }
        }
    }

    func testTinyAndThinImages() {
        let one = SLIC(nSegments: 1).segment(Image(width: 1, height: 1, channels: 3, bytes: [10, 20, 30]))
        XCTAssertEqual(one.labels, [0])
        XCTAssertEqual(one.count, 1)
        for (w, h) in [(1, 40), (40, 1), (2, 2), (3, 1)] {
            for c in [1, 3, 4] {
                let r = SLIC(nSegments: 5).segment(SegTestImages.smooth(width: w, height: h, channels: c))
                SegTestImages.checkLabels(r)
            }
        }
        // n_segments 1: one seed, one segment.
        let single = SLIC(nSegments: 1).segment(SegTestImages.smooth(width: 50, height: 40))
        XCTAssertEqual(single.count, 1)
        XCTAssertTrue(single.labels.allSatisfy { $0 == 0 })
        // An empty image gives no labels.
        let empty = SLIC(nSegments: 5).segment(Image(width: 0, height: 3, channels: 3, bytes: []))
        XCTAssertEqual(empty.count, 0)
        XCTAssertEqual(empty.labels, [])
    }

    func testFlatImageFollowsTheGrid() {
        // All colours equal: only space counts, so the segments are the grid's
        // Voronoi cells around seeds at 10 and 30; the middle row and column
        // are as far from both and go to the lower index.
        let r = SLIC(nSegments: 4).segment(Image(width: 40, height: 40, channels: 3, fill: 90))
        XCTAssertEqual(r.count, 4)
        for y in 0..<40 {
            for x in 0..<40 {
                XCTAssertEqual(r.labels[y * 40 + x], Int32((y <= 20 ? 0 : 2) + (x <= 20 ? 0 : 1)), "(\(x), \(y))")
            }
        }
    }

    func testSixteenBitMatchesEightBitScaled() {
        // skimage rescales to [0, 1] first, so v and v * 257 segment alike.
        let img = SegTestImages.smooth(width: 60, height: 50)
        XCTAssertEqual(SLIC(nSegments: 30).segment(img), SLIC(nSegments: 30).segment(img.to16Bit()))
    }

    func testSigmaSmoothingStillGivesValidLabels() {
        let r = SLIC(nSegments: 40, sigma: 1.5).segment(SegTestImages.smooth(width: 80, height: 60))
        SegTestImages.checkLabels(r)
    }

    // MARK: features

    func testLabFeaturesMatchScikitImage() {
        // One image holding black and white, so the [0, 1] rescaling is the identity.
        let colours: [[UInt8]] = [[0, 0, 0], [255, 255, 255], [255, 0, 0], [0, 255, 0], [0, 0, 255],
                                  [10, 20, 30], [200, 150, 100], [1, 2, 3]]
        // skimage.color.rgb2lab of the same colours (scikit-image 0.20).
        let expected: [[Double]] = [[0, 0, 0], [100, -0.00245, 0.00465], [53.24059, 80.09231, 67.20275],
                                    [87.7351, -86.18303, 83.1797], [32.29567, 79.18559, -107.8573],
                                    [5.94847, -0.66931, -8.13641], [65.76006, 12.75889, 33.56474],
                                    [0.50983, -0.12249, -0.4705]]
        let img = Image(width: colours.count, height: 1, channels: 3, bytes: Array(colours.joined()))
        let f = SLICFeatures(image: img, lab: true, sigma: 0, ratio: 1)
        for (i, e) in expected.enumerated() {
            for c in 0..<3 {
                XCTAssertEqual(Double(f.planes[c * colours.count + i]), e[c], accuracy: 2e-3, "colour \(i) channel \(c)")
            }
        }
    }

    func testCubeRootStepIsExactToFloatPrecision() {
        var t = 0.0089
        while t < 1.2 {
            let v = SIMD8<Float>(repeating: Float(t))
            let (a, b, c) = SLICFeatures.labF(v, v * 0.5 + 0.01, v)
            XCTAssertEqual(Double(a[0]), cbrt(Double(Float(t))), accuracy: 3e-7 * cbrt(t))
            XCTAssertEqual(Double(b[3]), cbrt(Double(Float(t) * 0.5 + 0.01)), accuracy: 3e-7)
            XCTAssertEqual(Double(c[7]), cbrt(Double(Float(t))), accuracy: 3e-7 * cbrt(t))
            t *= 1.01
        }
        // Below the threshold CIELAB's f is linear.
        let (low, _, _) = SLICFeatures.labF(SIMD8(repeating: 0.001), SIMD8(repeating: 0), SIMD8(repeating: 1))
        XCTAssertEqual(Double(low[0]), 7.787 * 0.001 + 16.0 / 116.0, accuracy: 1e-6)
    }

    func testFeaturesRescaleOverAllChannels() {
        // Gray 2x1 [50, 150]: scaled to [0, 1] then divided by the compactness.
        let f = SLICFeatures(image: Image(width: 2, height: 1, channels: 1, bytes: [50, 150]), lab: false, sigma: 0, ratio: 0.1)
        XCTAssertEqual(f.planes, [0, 0.1])
        // A flat image becomes all zeros.
        let flat = SLICFeatures(image: Image(width: 3, height: 1, channels: 2, fill: 9), lab: false, sigma: 0, ratio: 1)
        XCTAssertEqual(flat.planes, [0, 0, 0, 0, 0, 0])
    }

    // MARK: connectivity (skimage's _enforce_label_connectivity_cython)

    func testSmallFirstPieceSharesTheNextNumber() {
        // The first piece has no numbered neighbour: it keeps number 0, and so does the next piece.
        let r = LabelConnectivity.enforce([0, 0, 1, 1, 1, 1], width: 6, height: 1, minSize: 3, maxSize: 100)
        XCTAssertEqual(r.labels, [0, 0, 0, 0, 0, 0])
        XCTAssertEqual(r.count, 1)
    }

    func testSmallPieceJoinsTheLastNumberedNeighbourItMeets() {
        // 1x7: the single pixel of label 1 meets x+1 (not numbered yet), then x-1 (number 0).
        let row = LabelConnectivity.enforce([0, 0, 0, 1, 2, 2, 2], width: 7, height: 1, minSize: 2, maxSize: 100)
        XCTAssertEqual(row.labels, [0, 0, 0, 0, 1, 1, 1])
        XCTAssertEqual(row.count, 2)
        // 3x3: the centre meets right (unnumbered), left (1), down (1), up (0) in that order: up wins.
        let grid = LabelConnectivity.enforce([5, 5, 5,
                                              7, 9, 8,
                                              7, 7, 8], width: 3, height: 3, minSize: 2, maxSize: 100)
        XCTAssertEqual(grid.labels, [0, 0, 0,
                                     1, 0, 2,
                                     1, 1, 2])
        XCTAssertEqual(grid.count, 3)
    }

    func testSearchIsCutAtMaxSize() {
        let r = LabelConnectivity.enforce([Int32](repeating: 4, count: 7), width: 7, height: 1, minSize: 0, maxSize: 3)
        XCTAssertEqual(r.labels, [0, 0, 0, 1, 1, 1, 2])
        XCTAssertEqual(r.count, 3)
    }

    func testDisconnectedPiecesOfOneLabelAreSplit() {
        let r = LabelConnectivity.enforce([3, 3, 1, 3, 3,
                                           3, 3, 1, 3, 3], width: 5, height: 2, minSize: 1, maxSize: 100)
        XCTAssertEqual(r.labels, [0, 0, 1, 2, 2,
                                  0, 0, 1, 2, 2])
        SegTestImages.checkLabels(r)
    }

    // MARK: reconstruction error

    func testReconstructionErrorByHand() {
        // Gray 2x2 [0, 2; 4, 6], segments {0, 2} and {4, 6}: means 1 and 5, every pixel 1 away.
        let img = Image(width: 2, height: 2, channels: 1, bytes: [0, 2, 4, 6])
        let seg = SegmentationResult(width: 2, height: 2, labels: [0, 0, 1, 1], count: 2)
        XCTAssertEqual(seg.means(of: img), [1, 5])
        XCTAssertEqual(seg.reconstructionError(of: img), 1, accuracy: 1e-12)
        // One segment: mean 3, squared differences 9, 1, 1, 9.
        let whole = SegmentationResult(width: 2, height: 2, labels: [0, 0, 0, 0], count: 1)
        XCTAssertEqual(whole.reconstructionError(of: img), 5, accuracy: 1e-12)
        // RGB: averaged over channels too.
        let rgb = Image(width: 2, height: 1, channels: 3, bytes: [0, 10, 20, 2, 10, 24])
        let pair = SegmentationResult(width: 2, height: 1, labels: [0, 0], count: 1)
        XCTAssertEqual(pair.reconstructionError(of: rgb), (1 + 1 + 0 + 0 + 4 + 4) / 6.0, accuracy: 1e-12)
    }

    func testSLICReconstructsFlatRegionsClosely() {
        let (img, _) = SegTestImages.rectangles(
            width: 120, height: 90, background: [200, 30, 30],
            [(10, 20, 60, 70, [30, 200, 30]), (70, 40, 115, 85, [30, 30, 200])])
        let slic = SLIC(nSegments: 12).segment(img)
        let whole = SegmentationResult(width: 120, height: 90, labels: [Int32](repeating: 0, count: 120 * 90), count: 1)
        XCTAssertLessThan(slic.reconstructionError(of: img), 0.05 * whole.reconstructionError(of: img))
    }

    // MARK: timing (printed, not asserted)

    func testTimingOn224RGB() {
        let img = SegTestImages.smooth(width: 224, height: 224)
        let slic = SLIC(nSegments: 100)
        #if DEBUG
        let rounds = 1
        #else
        let rounds = 10
        #endif
        var best = Double.infinity
        for _ in 0..<rounds {
            let t = DispatchTime.now().uptimeNanoseconds
            _ = slic.segment(img)
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - t) / 1e6)
        }
        var single = slic
        single.threads = 1
        var bestSingle = Double.infinity
        for _ in 0..<rounds {
            let t = DispatchTime.now().uptimeNanoseconds
            _ = single.segment(img)
            bestSingle = min(bestSingle, Double(DispatchTime.now().uptimeNanoseconds - t) / 1e6)
        }
        #if DEBUG
        let build = "debug build: release is much faster"
        #else
        let build = "release build"
        #endif
        print(String(format: "SLIC 224x224 RGB, n_segments 100: %.2f ms (one thread %.2f ms) [%@]", best, bestSingle, build))
    }
}
