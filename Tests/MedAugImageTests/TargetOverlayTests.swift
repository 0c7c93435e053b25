import MedAugImage
import XCTest

/// The overlay that `medaug preview` draws: exact colours where the drawing
/// rules promise them, and no traps for targets that have left the image.
final class TargetOverlayTests: XCTestCase {
    private typealias RGB = (UInt8, UInt8, UInt8)

    private func gray(_ w: Int, _ h: Int, _ v: UInt8) -> Image {
        Image(width: w, height: h, channels: 1, fill: v)
    }

    private func mask(_ w: Int, _ h: Int, _ cells: [(Int, Int, UInt8)]) -> Image {
        var m = [UInt8](repeating: 0, count: w * h)
        for (x, y, v) in cells { m[y * w + x] = v }
        return Image(width: w, height: h, channels: 1, bytes: m)
    }

    private func px(_ img: Image, _ x: Int, _ y: Int) -> [UInt8] {
        let i = (y * img.width + x) * 3
        return Array(img.bytes![i..<(i + 3)])
    }

    private func rgb(_ c: RGB) -> [UInt8] { [c.0, c.1, c.2] }

    /// The documented blend: `(s * (255 - a) + c * a + 127) / 255`, a = round(opacity * 255).
    private func blended(_ s: UInt8, _ c: RGB, opacity: Double) -> [UInt8] {
        let a = Int((opacity * 255).rounded())
        return [c.0, c.1, c.2].map { UInt8((Int(s) * (255 - a) + Int($0) * a + 127) / 255) }
    }

    func testMaskInteriorBlendsTowardClassColourBackgroundUntouchedOutlineOpaque() {
        // A 3x3 block of class 2 in a 7x7 image: its centre has only class-2
        // neighbours (fill), its ring touches background (outline).
        var cells: [(Int, Int, UInt8)] = []
        for y in 2...4 { for x in 2...4 { cells.append((x, y, 2)) } }
        let sample = AnnotatedImage(gray(7, 7, 100), targets: ImageTargets(masks: [mask(7, 7, cells)]))
        let out = TargetOverlay.draw(sample, maskOpacity: 0.45)
        XCTAssertEqual(out.channels, 3)
        XCTAssertEqual(out.bitDepth, 8)
        let c2 = TargetOverlay.classColor(2)
        XCTAssertEqual(px(out, 3, 3), blended(100, c2, opacity: 0.45))
        XCTAssertNotEqual(px(out, 3, 3), [100, 100, 100])
        XCTAssertEqual(px(out, 2, 2), rgb(c2), "outline is opaque")
        XCTAssertEqual(px(out, 4, 3), rgb(c2), "outline is opaque")
        XCTAssertEqual(px(out, 0, 0), [100, 100, 100], "background untouched")
        XCTAssertEqual(px(out, 1, 3), [100, 100, 100], "outline stays on the class side")
        XCTAssertEqual(px(out, 5, 3), [100, 100, 100])
    }

    func testOpacityChangesTheBlendAndZeroLeavesOnlyTheOutline() {
        var cells: [(Int, Int, UInt8)] = []
        for y in 1...3 { for x in 1...3 { cells.append((x, y, 3)) } }
        let sample = AnnotatedImage(gray(5, 5, 40), targets: ImageTargets(masks: [mask(5, 5, cells)]))
        let c3 = TargetOverlay.classColor(3)
        XCTAssertEqual(px(TargetOverlay.draw(sample, maskOpacity: 0.8), 2, 2), blended(40, c3, opacity: 0.8))
        let none = TargetOverlay.draw(sample, maskOpacity: 0)
        XCTAssertEqual(px(none, 2, 2), [40, 40, 40])
        XCTAssertEqual(px(none, 1, 1), rgb(c3))
    }

    func testBinaryMaskDrawsInTheFirstColour() {
        var cells: [(Int, Int, UInt8)] = []
        for y in 1...3 { for x in 1...3 { cells.append((x, y, 255)) } }
        let out = TargetOverlay.draw(AnnotatedImage(gray(5, 5, 0), targets: ImageTargets(masks: [mask(5, 5, cells)])))
        XCTAssertEqual(px(out, 1, 1), rgb(TargetOverlay.classColor(1)))
        XCTAssertEqual(px(out, 2, 2), blended(0, TargetOverlay.classColor(1), opacity: 0.45))
    }

    func testTwoClassesMeetingOutlineEachOther() {
        // Left half class 1, right half class 2: the columns where they meet
        // are outline in their own colours.
        var cells: [(Int, Int, UInt8)] = []
        for y in 0..<4 { for x in 0..<6 { cells.append((x, y, x < 3 ? 1 : 2)) } }
        let out = TargetOverlay.draw(AnnotatedImage(gray(6, 4, 50), targets: ImageTargets(masks: [mask(6, 4, cells)])))
        XCTAssertEqual(px(out, 2, 1), rgb(TargetOverlay.classColor(1)))
        XCTAssertEqual(px(out, 3, 1), rgb(TargetOverlay.classColor(2)))
        // The image border is not an edge: those pixels are fill.
        XCTAssertEqual(px(out, 0, 1), blended(50, TargetOverlay.classColor(1), opacity: 0.45))
        XCTAssertEqual(px(out, 5, 1), blended(50, TargetOverlay.classColor(2), opacity: 0.45))
    }

    func testSixteenBitMaskClasses() {
        var m = [UInt16](repeating: 0, count: 25)
        for y in 1...3 { for x in 1...3 { m[y * 5 + x] = 300 } }
        let sample = AnnotatedImage(gray(5, 5, 10),
                                    targets: ImageTargets(masks: [Image(width: 5, height: 5, channels: 1, samples16: m)]))
        let out = TargetOverlay.draw(sample)
        XCTAssertEqual(px(out, 2, 2), blended(10, TargetOverlay.classColor(300), opacity: 0.45))
        XCTAssertEqual(px(out, 1, 1), rgb(TargetOverlay.classColor(300)))
    }

    func testBoxDrawsTwoPixelEdgesAndLeavesInteriorAlone() {
        let box = BoundingBox(x1: 2, y1: 3, x2: 12, y2: 11, label: 4)
        let out = TargetOverlay.draw(AnnotatedImage(gray(16, 16, 90), targets: ImageTargets(boxes: [box])))
        let c = rgb(TargetOverlay.classColor(4))
        // Box pixels are x 2...11, y 3...10; edges 2 pixels thick, inside.
        for x in 2...11 {
            XCTAssertEqual(px(out, x, 3), c); XCTAssertEqual(px(out, x, 4), c)
            XCTAssertEqual(px(out, x, 9), c); XCTAssertEqual(px(out, x, 10), c)
        }
        for y in 3...10 {
            XCTAssertEqual(px(out, 2, y), c); XCTAssertEqual(px(out, 3, y), c)
            XCTAssertEqual(px(out, 10, y), c); XCTAssertEqual(px(out, 11, y), c)
        }
        for y in 5...8 { for x in 4...9 { XCTAssertEqual(px(out, x, y), [90, 90, 90], "interior \(x),\(y)") } }
        // Nothing outside the box.
        for x in 0..<16 { XCTAssertEqual(px(out, x, 2), [90, 90, 90]); XCTAssertEqual(px(out, x, 11), [90, 90, 90]) }
        for y in 0..<16 { XCTAssertEqual(px(out, 1, y), [90, 90, 90]); XCTAssertEqual(px(out, 12, y), [90, 90, 90]) }
    }

    func testBoxPartlyOutsideDrawsOnlyItsVisibleEdges() {
        // Runs off the left and the bottom: only its top and right edges are on the image.
        let box = BoundingBox(x1: -5, y1: 2, x2: 6, y2: 40, label: 1)
        let out = TargetOverlay.draw(AnnotatedImage(gray(10, 10, 70), targets: ImageTargets(boxes: [box])))
        let c = rgb(TargetOverlay.classColor(1))
        for x in 0...5 { XCTAssertEqual(px(out, x, 2), c); XCTAssertEqual(px(out, x, 3), c) }
        for y in 2...9 { XCTAssertEqual(px(out, 4, y), c); XCTAssertEqual(px(out, 5, y), c) }
        for y in 4...9 { for x in 0...3 { XCTAssertEqual(px(out, x, y), [70, 70, 70], "\(x),\(y)") } }
        XCTAssertEqual(px(out, 6, 5), [70, 70, 70])
        XCTAssertEqual(px(out, 0, 1), [70, 70, 70])
    }

    func testBoxesFullyOutsideOrAbsurdDrawNothing() {
        let boxes = [
            BoundingBox(x1: 20, y1: 20, x2: 30, y2: 30),
            BoundingBox(x1: -30, y1: -30, x2: -20, y2: -1),
            BoundingBox(x1: .nan, y1: 0, x2: 5, y2: 5),
            BoundingBox(x1: -1e300, y1: -.infinity, x2: -1e300, y2: 1e300),
        ]
        let img = gray(8, 8, 33)
        let out = TargetOverlay.draw(AnnotatedImage(img, targets: ImageTargets(boxes: boxes)))
        XCTAssertEqual(out.bytes!, [UInt8](repeating: 33, count: 8 * 8 * 3))
    }

    func testHugeBoxAroundTheImageDrawsAtItsBorder() {
        let box = BoundingBox(x1: -.infinity, y1: -1e300, x2: .infinity, y2: 1e300, label: 2)
        let out = TargetOverlay.draw(AnnotatedImage(gray(8, 8, 33), targets: ImageTargets(boxes: [box])))
        // The box's edges are all off the image: nothing visible.
        XCTAssertEqual(out.bytes!, [UInt8](repeating: 33, count: 8 * 8 * 3))
        let full = BoundingBox(x1: 0, y1: 0, x2: 8, y2: 8, label: 2)
        let edged = TargetOverlay.draw(AnnotatedImage(gray(8, 8, 33), targets: ImageTargets(boxes: [full])))
        let c = rgb(TargetOverlay.classColor(2))
        XCTAssertEqual(px(edged, 0, 0), c); XCTAssertEqual(px(edged, 7, 7), c)
        XCTAssertEqual(px(edged, 1, 4), c); XCTAssertEqual(px(edged, 6, 4), c)
        XCTAssertEqual(px(edged, 3, 4), [33, 33, 33])
    }

    func testKeypointDrawsAFilledDiscWithADarkBorder() {
        let out = TargetOverlay.draw(AnnotatedImage(gray(32, 32, 128), targets: ImageTargets(keypoints: [Keypoint(x: 16.5, y: 16.5)])))
        let r = TargetOverlay.keypointRadius(width: 32, height: 32)
        XCTAssertEqual(px(out, 16, 16), rgb(TargetOverlay.keypointColor))
        XCTAssertEqual(px(out, 16 + r, 16), rgb(TargetOverlay.keypointColor))
        XCTAssertEqual(px(out, 16 + r + 1, 16), rgb(TargetOverlay.keypointBorderColor))
        XCTAssertEqual(px(out, 16, 16 - r - 1), rgb(TargetOverlay.keypointBorderColor))
        XCTAssertEqual(px(out, 16 + r + 3, 16), [128, 128, 128])
        XCTAssertEqual(px(out, 0, 0), [128, 128, 128])
    }

    func testKeypointRadiusGrowsWithTheImage() {
        XCTAssertEqual(TargetOverlay.keypointRadius(width: 256, height: 256), 3)
        XCTAssertEqual(TargetOverlay.keypointRadius(width: 16, height: 16), 2)
        XCTAssertGreaterThan(TargetOverlay.keypointRadius(width: 1024, height: 2048), 3)
    }

    func testKeypointOutsideTheImageDrawsNothing() {
        let points = [Keypoint(x: -1, y: 5), Keypoint(x: 5, y: 10), Keypoint(x: 10, y: 0),
                      Keypoint(x: -0.01, y: -0.01), Keypoint(x: .nan, y: 2), Keypoint(x: .infinity, y: 1),
                      Keypoint(x: -1e300, y: 1e300)]
        let out = TargetOverlay.draw(AnnotatedImage(gray(10, 10, 77), targets: ImageTargets(keypoints: points)))
        XCTAssertEqual(out.bytes!, [UInt8](repeating: 77, count: 10 * 10 * 3))
    }

    func testKeypointNearTheEdgeIsClipped() {
        let out = TargetOverlay.draw(AnnotatedImage(gray(10, 10, 77), targets: ImageTargets(keypoints: [Keypoint(x: 0, y: 9.9)])))
        XCTAssertEqual(px(out, 0, 9), rgb(TargetOverlay.keypointColor))
        XCTAssertEqual(out.width, 10); XCTAssertEqual(out.height, 10)
    }

    func testSixteenBitGrayBecomesEightBitRGB() {
        let img = Image(width: 3, height: 1, channels: 1, samples16: [0, 32896, 65535])
        let out = TargetOverlay.draw(AnnotatedImage(img))
        XCTAssertEqual(out.bitDepth, 8)
        XCTAssertEqual(out.channels, 3)
        XCTAssertEqual(out.bytes!, [0, 0, 0, 128, 128, 128, 255, 255, 255])
    }

    func testAlphaIsDroppedAndColourKept() {
        let img = Image(width: 1, height: 1, channels: 4, bytes: [10, 20, 30, 0])
        XCTAssertEqual(TargetOverlay.draw(AnnotatedImage(img)).bytes!, [10, 20, 30])
        let la = Image(width: 1, height: 1, channels: 2, samples16: [65535, 0])
        XCTAssertEqual(TargetOverlay.draw(AnnotatedImage(la)).bytes!, [255, 255, 255])
    }

    func testHeatmapWarmsInProportionToValue() {
        let hm = Heatmap(width: 3, height: 1, values: [0, 0.5, 1])
        let out = TargetOverlay.draw(AnnotatedImage(gray(3, 1, 60), targets: ImageTargets(heatmaps: [hm])))
        XCTAssertEqual(px(out, 0, 0), [60, 60, 60])
        let half = px(out, 1, 0), full = px(out, 2, 0)
        XCTAssertGreaterThan(half[0], half[2], "warm: more red than blue")
        XCTAssertGreaterThan(full[0], half[0])
        XCTAssertGreaterThan(Int(full[0]) - 60, Int(half[0]) - 60)
    }

    func testDrawingNeverChangesTheSize() {
        for (w, h, ch) in [(1, 1, 1), (7, 3, 2), (13, 9, 3), (4, 11, 4), (0, 0, 1), (5, 0, 3)] {
            var m = [UInt8](repeating: 0, count: w * h)
            for i in stride(from: 0, to: m.count, by: 3) { m[i] = UInt8(i % 5) }
            let targets = ImageTargets(
                masks: [Image(width: w, height: h, channels: 1, bytes: m)],
                heatmaps: [Heatmap(width: w, height: h, values: [Float](repeating: 0.7, count: w * h))],
                keypoints: [Keypoint(x: 0, y: 0), Keypoint(x: Double(w) / 2, y: Double(h) / 2), Keypoint(x: -3, y: 99)],
                boxes: [BoundingBox(x1: -2, y1: -2, x2: Double(w) + 2, y2: Double(h) / 2, label: 9),
                        BoundingBox(x1: 1, y1: 1, x2: 1, y2: 1)])
            let out = TargetOverlay.draw(AnnotatedImage(Image(width: w, height: h, channels: ch, fill: 5), targets: targets))
            XCTAssertEqual(out.width, w); XCTAssertEqual(out.height, h); XCTAssertEqual(out.channels, 3)
            XCTAssertEqual(out.bytes!.count, w * h * 3)
        }
    }

    func testMaskOfAnotherSizeIsStretchedNotRejected() {
        let sample = AnnotatedImage(gray(8, 8, 20), targets: ImageTargets(masks: [mask(4, 4, [(1, 1, 1), (2, 1, 1), (1, 2, 1), (2, 2, 1)])]))
        let out = TargetOverlay.draw(sample)
        XCTAssertEqual(out.width, 8)
        XCTAssertEqual(px(out, 2, 2), rgb(TargetOverlay.classColor(1)))
        XCTAssertEqual(px(out, 0, 0), [20, 20, 20])
    }

    func testScaledDrawResizesImageAndTargetsAndKeepsLinesTwoPixels() {
        // A 400x200 image with a box over its middle, drawn into 100x50.
        let img = Image(width: 400, height: 200, channels: 1, samples16: [UInt16](repeating: 20000, count: 400 * 200))
        var m = [UInt8](repeating: 0, count: 400 * 200)
        for y in 80..<120 { for x in 0..<40 { m[y * 400 + x] = 2 } }
        let sample = AnnotatedImage(img, targets: ImageTargets(
            masks: [Image(width: 400, height: 200, channels: 1, bytes: m)],
            keypoints: [Keypoint(x: 300, y: 100)],
            boxes: [BoundingBox(x1: 100, y1: 40, x2: 300, y2: 160, label: 5)]))
        let out = TargetOverlay.draw(sample, scaledTo: 100, height: 50)
        XCTAssertEqual(out.width, 100); XCTAssertEqual(out.height, 50); XCTAssertEqual(out.channels, 3)
        let bg = UInt8((20000 * 255 + 32767) / 65535)
        let c5 = rgb(TargetOverlay.classColor(5))
        // Box pixels x 25...74, y 10...39 after scaling by 1/4.
        XCTAssertEqual(px(out, 40, 10), c5); XCTAssertEqual(px(out, 40, 11), c5)
        XCTAssertEqual(px(out, 40, 12), [bg, bg, bg], "still 2 pixels thick")
        XCTAssertEqual(px(out, 25, 30), c5); XCTAssertEqual(px(out, 26, 30), c5)
        XCTAssertEqual(px(out, 27, 30), [bg, bg, bg])
        XCTAssertEqual(px(out, 24, 30), [bg, bg, bg])
        // The mask shrank with the image: x 0...9, y 20...29.
        XCTAssertEqual(px(out, 5, 25), blended(bg, TargetOverlay.classColor(2), opacity: 0.45))
        XCTAssertEqual(px(out, 12, 25), [bg, bg, bg])
        // The keypoint moved to (75, 25).
        XCTAssertEqual(px(out, 75, 25), rgb(TargetOverlay.keypointColor))
    }

    func testClassColoursAreDistinctOverTheFirstCycles() {
        var seen = Set<[UInt8]>()
        for k in 1...21 { seen.insert(rgb(TargetOverlay.classColor(k))) }
        XCTAssertEqual(seen.count, 21)
        XCTAssertEqual(rgb(TargetOverlay.classColor(22)), rgb(TargetOverlay.classColor(1)), "cycles")
        XCTAssertFalse(seen.contains(rgb(TargetOverlay.classColor(0))))
        XCTAssertNotEqual(rgb(TargetOverlay.keypointColor), rgb(TargetOverlay.classColor(0)))
        XCTAssertFalse(seen.contains(rgb(TargetOverlay.keypointColor)))
    }
}
