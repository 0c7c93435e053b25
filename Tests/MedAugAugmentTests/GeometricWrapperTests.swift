import XCTest
import MedAugImage
@testable import MedAugAugment

/// Rot90, the one-parameter Affine wrappers, Resize and the fixed-size crops
/// and pads (imgaug 0.4.0 geometric.py and size.py).
final class GeometricWrapperTests: XCTestCase {
    func only<T>(_ yaml: String, as: T.Type) throws -> T {
        let p = try Geo.parse(yaml)
        XCTAssertEqual(p.children.count, 1)
        return try XCTUnwrap(p.children.first as? T)
    }

    func run(_ aug: any Augmenter, _ img: Image, seed: UInt64 = 7) throws -> Image {
        var ctx = Geo.context(seed)
        return try aug.augment(img, &ctx)
    }

    // 2 rows x 3 columns.
    let small = Geo.gray([[1, 2, 3], [4, 5, 6]])

    // MARK: Rot90

    func testResizeRefusesASizeNoMachineHolds() throws {
        // A long thin image with its height set: keep-aspect-ratio asks for 16384 x 4 194 304 pixels.
        let aug = try only("- Resize: {size: {height: 16384, width: keep-aspect-ratio}}", as: Resize.self)
        XCTAssertThrowsError(try run(aug, Image(width: 2048, height: 8, channels: 1))) { e in
            XCTAssertTrue(e is AugmentError && "\(e)".contains("16384"), "\(e)")
        }
    }

    func testRot90TurnsClockwiseLikeNumpyRot90Axes10() {
        XCTAssertEqual(Geo.rows(Rot90Kernel.rotate(small, k: 1)), [[4, 1], [5, 2], [6, 3]])
        XCTAssertEqual(Geo.rows(Rot90Kernel.rotate(small, k: 2)), [[6, 5, 4], [3, 2, 1]])
        XCTAssertEqual(Geo.rows(Rot90Kernel.rotate(small, k: 3)), [[3, 6], [2, 5], [1, 4]])
        XCTAssertEqual(Geo.rows(Rot90Kernel.rotate(small, k: -1)), [[3, 6], [2, 5], [1, 4]])
        XCTAssertEqual(Rot90Kernel.rotate(small, k: 4), small)
        XCTAssertEqual(Rot90Kernel.rotate(small, k: 5), Rot90Kernel.rotate(small, k: 1))
    }

    func testRot90KeepsChannelsTogetherAnd16Bit() {
        let rgb = Image(width: 2, height: 1, channels: 3, bytes: [1, 2, 3, 4, 5, 6])
        let r = Rot90Kernel.rotate(rgb, k: 1)
        XCTAssertEqual([r.width, r.height], [1, 2])
        XCTAssertEqual(r.bytes!, [1, 2, 3, 4, 5, 6])
        let r3 = Rot90Kernel.rotate(rgb, k: 3)
        XCTAssertEqual(r3.bytes!, [4, 5, 6, 1, 2, 3])
        let wide = Image(width: 3, height: 1, channels: 1, samples16: [100, 200, 65535])
        guard case .u16(let s) = Rot90Kernel.rotate(wide, k: 1).pixels else { return XCTFail("not 16-bit") }
        XCTAssertEqual(s, [100, 200, 65535])
    }

    func testRot90KeepSizeResizesBackWithImgaugsRule() throws {
        let img = Geo.pattern(width: 7, height: 5, channels: 3)
        let kept = try run(Rot90(), img)
        XCTAssertEqual([kept.width, kept.height], [7, 5])
        // 5x7 -> 7x5 grows the width: INTER_AREA.
        XCTAssertEqual(kept, Rot90Kernel.rotate(img, k: 1).resized(width: 7, height: 5, interpolation: .area))
        let free = try run(Rot90(keepSize: false), img)
        XCTAssertEqual([free.width, free.height], [5, 7])
        // Square images and half turns never resize.
        let sq = Geo.pattern(width: 6, height: 6, channels: 1)
        XCTAssertEqual(try run(Rot90(), sq), Rot90Kernel.rotate(sq, k: 1))
        XCTAssertEqual(try run(Rot90(k: .constant(2)), img), Rot90Kernel.rotate(img, k: 2))
    }

    func testRot90Forms() throws {
        XCTAssertEqual(try only("- Rot90", as: Rot90.self).k, .constant(1))
        XCTAssertEqual(try only("- Rot90: {k: ALL}", as: Rot90.self).k, Discrete(.choice([0, 1, 2, 3])))
        XCTAssertEqual(try only("- Rot90: {k: [1, 3], keep_size: false}", as: Rot90.self).k, .range(1, 3))
        Geo.assertPipelineError("- Rot90: {k: 1.5}", key: "k")
        Geo.assertPipelineError("- Rot90: {k: 1.0}", key: "k")
        try Geo.assertRoundTrip("- Rot90: {k: ALL, keep_size: false}\n- Rot90: {k: {choice: [1, 3]}}\n")
    }

    // MARK: Affine wrappers

    func testWrappersBuildImgaugsAffine() throws {
        let img = Geo.pattern(width: 9, height: 7, channels: 3)
        let pairs: [(any Augmenter, Affine)] = [
            (ScaleX(scale: .constant(1.5)), Affine(scale: .perAxis(x: .constant(1.5), y: .constant(1)))),
            (ScaleY(scale: .constant(0.7)), Affine(scale: .perAxis(x: .constant(1), y: .constant(0.7)))),
            (TranslateX(.px(.constant(2))), Affine(translate: .px(.perAxis(x: .constant(2), y: .constant(0))))),
            (TranslateY(.percent(.constant(0.2))), Affine(translate: .percent(.perAxis(x: .constant(0), y: .constant(0.2))))),
            (Rotate(rotate: .constant(30), order: .constant(.cubic), mode: .constant(.reflect)),
             Affine(rotate: .constant(30), order: .constant(.cubic), mode: .constant(.reflect))),
            (ShearX(shear: .constant(12)), Affine(shear: .perAxis(x: .constant(12), y: .constant(0)))),
            (ShearY(shear: .constant(-9), cval: .constant(90)), Affine(shear: .perAxis(x: .constant(0), y: .constant(-9)), cval: .constant(90))),
        ]
        for (w, a) in pairs {
            XCTAssertEqual(try run(w, img), try run(a, img), w.name)
            XCTAssertNotEqual(try run(w, img), img, w.name)
        }
    }

    func testTranslateXPixelsMoveRight() throws {
        let out = try run(TranslateX(.px(.constant(1)), order: .constant(.nearest)), small)
        XCTAssertEqual(Geo.rows(out), [[0, 1, 2], [0, 4, 5]])
        let down = try run(TranslateY(.px(.constant(1)), order: .constant(.nearest)), small)
        XCTAssertEqual(Geo.rows(down), [[0, 0, 0], [1, 2, 3]])
    }

    func testWrapperDefaultsAreImgaugs() {
        XCTAssertEqual(ScaleX().scale, .range(0.5, 1.5))
        XCTAssertEqual(TranslateX().translate, .percent(.range(-0.25, 0.25)))
        XCTAssertEqual(Rotate().rotate, .range(-30, 30))
        XCTAssertEqual(ShearY().shear, .range(-30, 30))
        XCTAssertEqual(ShearX().order, .constant(.linear))
    }

    func testWrapperForms() throws {
        let t = try only("- TranslateX: {px: [-3, 3], mode: edge, order: 0}", as: TranslateX.self)
        XCTAssertEqual(t.translate, .px(.range(-3, 3)))
        XCTAssertEqual(t.mode, .constant(.edge))
        XCTAssertEqual(try only("- TranslateY: {percent: 0.1}", as: TranslateY.self).translate, .percent(.constant(0.1)))
        XCTAssertEqual(try only("- ShearX: {shear: 10, fit_output: true}", as: ShearX.self).fitOutput, true)
        Geo.assertPipelineError("- TranslateX: {px: 2.5}", key: "px")
        Geo.assertPipelineError("- TranslateX: {px: 2, percent: 0.1}", key: "p")
        Geo.assertPipelineError("- ScaleY: {scale: 0}", key: "scale")
        Geo.assertPipelineError("- Rotate: {order: 2}", key: "order")
        try Geo.assertRoundTrip("""
        - ScaleX: {scale: [0.8, 1.2], cval: 7}
        - ScaleY: {scale: 1.3, mode: ALL}
        - TranslateX: {px: 4}
        - TranslateY: {percent: [-0.1, 0.1], backend: cv2}
        - Rotate: {rotate: {choice: [90, 180]}, order: [0, 3]}
        - ShearX: {shear: -8}
        - ShearY: {shear: [-5, 5], fit_output: true}
        """)
    }

    // MARK: Resize

    func testResizeTargetSizes() {
        typealias D = ResizeValue.Drawn
        func size(_ w: Int, _ h: Int, _ a: D, _ b: D, sl: Bool = false) -> [Int] {
            let s = Resize.targetSize(width: w, height: h, a, b, shorterLonger: sl)
            return [s.width, s.height]
        }
        XCTAssertEqual(size(10, 20, .pixels(8), .pixels(8)), [8, 8])
        XCTAssertEqual(size(10, 20, .fraction(0.5), .fraction(0.5)), [5, 10])
        XCTAssertEqual(size(5, 5, .fraction(0.5), .fraction(0.5)), [2, 2])       // 2.5 rounds half to even
        XCTAssertEqual(size(7, 7, .fraction(0.5), .fraction(0.5)), [4, 4])       // 3.5 -> 4
        XCTAssertEqual(size(10, 20, .fraction(0.01), .keep), [10, 1])            // at least 1 pixel
        XCTAssertEqual(size(10, 10, .fraction(0.35), .fraction(0.35)), [3, 3])   // imgaug's float32 0.35 gives 3.4999999
        XCTAssertEqual(size(10, 20, .pixels(40), .keepAspectRatio), [20, 40])    // height 40, width follows
        XCTAssertEqual(size(10, 20, .keepAspectRatio, .pixels(5)), [5, 10])
        // shorter/longer: the shorter side (width here) gets the first value.
        XCTAssertEqual(size(10, 20, .pixels(6), .keepAspectRatio, sl: true), [6, 12])
        XCTAssertEqual(size(20, 10, .pixels(6), .keepAspectRatio, sl: true), [12, 6])
    }

    func testResizeRunsCv2Resize() throws {
        let img = Geo.pattern(width: 9, height: 7, channels: 3)
        let out = try run(Resize(size: .heightWidth(height: .pixels(.constant(4)), width: .fraction(.constant(2)))), img)
        XCTAssertEqual(out, img.resized(width: 18, height: 4, interpolation: .cubic))
        let nn = try run(Resize(size: .both(.pixels(.constant(5))), interpolation: .constant(.nearest)), img)
        XCTAssertEqual(nn, img.resized(width: 5, height: 5, interpolation: .nearest))
        XCTAssertEqual(try run(Resize(), img), img)
    }

    func testResizeForms() throws {
        XCTAssertEqual(try only("- Resize: {size: 32}", as: Resize.self).size, .both(.pixels(.constant(32))))
        XCTAssertEqual(try only("- Resize: {size: 0.5}", as: Resize.self).size, .both(.fraction(.constant(0.5))))
        XCTAssertEqual(try only("- Resize: {size: 1.0}", as: Resize.self).size, .both(.fraction(.constant(1))))
        XCTAssertEqual(try only("- Resize: {size: [16, 32]}", as: Resize.self).size, .both(.pixels(.range(16, 32))))
        XCTAssertEqual(try only("- Resize: {size: [0.5, 2]}", as: Resize.self).size, .both(.fraction(.range(0.5, 2))))
        XCTAssertEqual(try only("- Resize: {size: {height: 20, width: keep-aspect-ratio}, interpolation: linear}", as: Resize.self).size,
                       .heightWidth(height: .pixels(.constant(20)), width: .keepAspectRatio))
        XCTAssertEqual(try only("- Resize: {size: {longer-side: 64}}", as: Resize.self).size,
                       .shorterLonger(shorter: .keep, longer: .pixels(.constant(64))))
        XCTAssertEqual(try only("- Resize: {size: keep, interpolation: ALL}", as: Resize.self).interpolation,
                       .choice([.nearest, .linear, .area, .cubic]))
        Geo.assertPipelineError("- Resize: {size: 0}", key: "size")
        Geo.assertPipelineError("- Resize: {size: {choice: [8, 0.5]}}", key: "size")
        Geo.assertPipelineError("- Resize: {size: {height: keep-aspect-ratio, width: keep-aspect-ratio}}", key: "size")
        Geo.assertPipelineError("- Resize: {size: 8, interpolation: bicubic}", key: "interpolation")
        // A float 1.0 stays a fraction when written back (1 would be one pixel).
        let written = PipelineWriter.render(try Geo.parse("- Resize: {size: 1.0}"), format: .yaml)
        XCTAssertEqual(try only(written, as: Resize.self).size, .both(.fraction(.constant(1))), written)
        try Geo.assertRoundTrip("""
        - Resize: {size: {choice: [0.5, 2.0]}, interpolation: [nearest, area]}
        - Resize: {size: {shorter-side: [16, 32], longer-side: keep-aspect-ratio}}
        - Resize: {size: {height: 2.0, width: keep}}
        """)
    }

    // MARK: fixed sizes

    func testCropToFixedSizeAmounts() {
        // imgaug: the crop before the image is int((1 - position) * excess).
        let c = FixedSizeKernel.cropAmounts(width: 10, height: 9, maxWidth: 5, maxHeight: 4, x: 0.5, y: 0.5)
        XCTAssertEqual([c.top, c.right, c.bottom, c.left], [2, 3, 3, 2])
        let lt = FixedSizeKernel.cropAmounts(width: 10, height: 9, maxWidth: 5, maxHeight: 4, x: 0, y: 0)
        XCTAssertEqual([lt.top, lt.right, lt.bottom, lt.left], [5, 0, 0, 5])
        let none = FixedSizeKernel.cropAmounts(width: 3, height: 3, maxWidth: 5, maxHeight: nil, x: 0.5, y: 0.5)
        XCTAssertEqual([none.top, none.right, none.bottom, none.left], [0, 0, 0, 0])
        // imgaug holds positions as float32: (1 - 0.3f) * 10 = 6.9999999 -> 6, and (1 - 0.3f) * 110 -> 76.
        XCTAssertEqual(FixedSizeKernel.cropAmounts(width: 100, height: 5, maxWidth: 90, maxHeight: nil, x: 0.3, y: 0.5).left, 6)
        XCTAssertEqual(FixedSizeKernel.padAmounts(width: 100, height: 5, minWidth: 210, minHeight: nil, x: 0.3, y: 0.5).left, 76)
        let p = FixedSizeKernel.padAmounts(width: 3, height: 4, minWidth: 6, minHeight: 5, x: 0.5, y: 0.5)
        XCTAssertEqual([p.top, p.right, p.bottom, p.left], [0, 2, 1, 1])
    }

    func testCenterCropAndPad() throws {
        let img = Geo.gray([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]])
        XCTAssertEqual(Geo.rows(try run(CenterCropToFixedSize(width: 2, height: 1), img)), [[6, 7]])
        XCTAssertEqual(Geo.rows(try run(CenterCropToFixedSize(width: 3, height: 2), img)), [[1, 2, 3], [5, 6, 7]])
        let padded = try run(CenterPadToFixedSize(width: 4, height: 4, padCval: .constant(9)), small)
        // imgaug: left = int(0.5 * 1) = 0, so the odd column goes right.
        XCTAssertEqual(Geo.rows(padded), [[9, 9, 9, 9], [1, 2, 3, 9], [4, 5, 6, 9], [9, 9, 9, 9]])
        let edge = try run(PadToFixedSize(width: 5, height: nil, padMode: .constant(.edge), position: .center), small)
        XCTAssertEqual(Geo.rows(edge), [[1, 1, 2, 3, 3], [4, 4, 5, 6, 6]])
        // Larger sides are not cropped by the pads, smaller ones not padded by the crops.
        XCTAssertEqual(try run(CenterPadToFixedSize(width: 1, height: 1), small), small)
        XCTAssertEqual(try run(CenterCropToFixedSize(width: 50, height: 50), small), small)
    }

    func testUniformPositionStaysInside() throws {
        let img = Geo.pattern(width: 12, height: 10, channels: 4)
        for seed in UInt64(1)...20 {
            let c = try run(CropToFixedSize(width: 5, height: 4), img, seed: seed)
            XCTAssertEqual([c.width, c.height, c.channels], [5, 4, 4])
            let p = try run(PadToFixedSize(width: 15, height: 13, padMode: .choice(CropAndPad.allPadModes)), img, seed: seed)
            XCTAssertEqual([p.width, p.height, p.channels], [15, 13, 4])
            let n = try run(PadToFixedSize(width: 15, height: 13, position: .normal), img.to16Bit(), seed: seed)
            XCTAssertEqual([n.width, n.height, n.bitDepth], [15, 13, 16])
        }
    }

    func testFixedSizeForms() throws {
        let c = try only("- CropToFixedSize: {width: 32, height: 24, position: center}", as: CropToFixedSize.self)
        XCTAssertEqual([c.width, c.height], [32, 24])
        XCTAssertEqual(c.position, .center)
        XCTAssertEqual(try only("- CropToFixedSize: {width: 8, position: right-top}", as: CropToFixedSize.self).position,
                       .fixed(x: 1, y: 0))
        XCTAssertEqual(try only("- PadToFixedSize: {width: 8, height: 8, position: [0.25, 1]}", as: PadToFixedSize.self).position,
                       .fixed(x: 0.25, y: 1))
        Geo.assertPipelineError("- CropToFixedSize: {width: 0}", key: "width")
        Geo.assertPipelineError("- PadToFixedSize: {width: 8, position: top-left}", key: "position")
        Geo.assertPipelineError("- PadToFixedSize: {width: 8, position: [0.5, 1.5]}", key: "position")
        try Geo.assertRoundTrip("""
        - CropToFixedSize: {width: 32, height: 24, position: normal}
        - PadToFixedSize: {width: 40, height: 30, pad_mode: ALL, pad_cval: [0, 255], position: [0.25, 0.75]}
        - PadToFixedSize: {width: 40, position: left-bottom}
        - CenterCropToFixedSize: {width: 16, height: 16}
        - CenterPadToFixedSize: {height: 64, pad_mode: reflect}
        """)
    }
}
