import XCTest
import MedAugImage
@testable import MedAugAugment

/// Pipeline files naming the Geometric augmenters: imgaug's argument names and forms.
final class GeometricPipelineTests: XCTestCase {
    func only<T>(_ yaml: String, as: T.Type) throws -> T {
        let p = try Geo.parse(yaml)
        XCTAssertEqual(p.children.count, 1)
        return try XCTUnwrap(p.children.first as? T)
    }

    func testFlips() throws {
        XCTAssertEqual(try only("- Fliplr: {p: 0.5}", as: Fliplr.self).p, .constant(0.5))
        XCTAssertEqual(try only("- Flipud", as: Flipud.self).p, .constant(1))
        XCTAssertEqual(try only("- Flipud: {p: true}", as: Flipud.self).p, .constant(1))
        Geo.assertPipelineError("- Fliplr: {p: 1.5}", key: "p")
        Geo.assertPipelineError("- Fliplr: {p: [0.2, 0.8]}", key: "p")
        Geo.assertPipelineError("- Flipud: {probability: 0.5}", key: "probability")
        try Geo.assertRoundTrip("- Fliplr: {p: 0.5}\n- Flipud: {p: 0.2}\n")
    }

    func testAffineForms() throws {
        let a = try only("""
        - Affine:
            scale: {x: [0.8, 1.2], y: [0.8, 1.2]}
            translate_percent: {x: [-0.2, 0.2], y: [-0.2, 0.2]}
            rotate: [-45, 45]
            shear: [-16, 16]
            order: [0, 1]
            cval: [0, 255]
            mode: ALL
        """, as: Affine.self)
        XCTAssertEqual(a.scale, .perAxis(x: .range(0.8, 1.2), y: .range(0.8, 1.2)))
        XCTAssertEqual(a.translate, .percent(.perAxis(x: .range(-0.2, 0.2), y: .range(-0.2, 0.2))))
        XCTAssertEqual(a.rotate, .range(-45, 45))
        XCTAssertEqual(a.shear, .shared(.range(-16, 16)))
        XCTAssertEqual(a.order, .choice([.nearest, .linear]))
        XCTAssertEqual(a.cval, .range(0, 255))
        XCTAssertEqual(a.mode, .choice([.constant, .edge, .symmetric, .reflect, .wrap]))

        let b = try only("- Affine: {translate_px: {x: 10, y: -7}, shear: 12, order: 3, cval: ALL, mode: reflect, fit_output: true}", as: Affine.self)
        XCTAssertEqual(b.translate, .px(.perAxis(x: .constant(10), y: .constant(-7))))
        XCTAssertEqual(b.shear, .xOnly(12))
        XCTAssertEqual(b.scale, .shared(.constant(1)))
        XCTAssertEqual(b.order, .constant(.cubic))
        XCTAssertEqual(b.cval, .range(0, 255))
        XCTAssertEqual(b.mode, .constant(.reflect))
        XCTAssertTrue(b.fitOutput)

        let c = try only("- Affine: {shear: {y: [-5, 5]}, translate_px: [-3, 3], order: ALL}", as: Affine.self)
        XCTAssertEqual(c.shear, .perAxis(x: .constant(0), y: .range(-5, 5)))
        XCTAssertEqual(c.translate, .px(.shared(.range(-3, 3))))
        XCTAssertEqual(c.order, .choice([.nearest, .linear, .cubic]))

        let d = try only("- Affine: {}", as: Affine.self)
        XCTAssertEqual(d.rotate, .range(-15, 15))
    }

    func testAffineErrorsNameTheKey() {
        Geo.assertPipelineError("- Affine: {translate_px: 3, translate_percent: 0.1}", key: "translate_px")
        Geo.assertPipelineError("- Affine: {translate_px: 2.5}", key: "translate_px")
        Geo.assertPipelineError("- Affine: {scale: 0}", key: "scale")
        Geo.assertPipelineError("- Affine: {scale: {x: [0.5, 1.0], y: -1}}", key: "scale")
        Geo.assertPipelineError("- Affine: {order: 2}", key: "order")
        Geo.assertPipelineError("- Affine: {order: 7}", key: "order")
        Geo.assertPipelineError("- Affine: {mode: mirror}", key: "mode")
        Geo.assertPipelineError("- Affine: {rotate: [1, 2, 3]}", key: "rotate")
        Geo.assertPipelineError("- Affine: {backend: skimage}", key: "backend")
        Geo.assertPipelineError("- Affine: {fit_output: 1}", key: "fit_output")
        Geo.assertPipelineError("- Affine: {shear: {x: 1, z: 2}}", key: "shear")
        Geo.assertPipelineError("- Affine: {rotation: 5}", key: "rotation")
    }

    func testCropAndPadForms() throws {
        let a = try only("- CropAndPad: {percent: [-0.05, 0.1], pad_mode: ALL, pad_cval: [0, 255]}", as: CropAndPad.self)
        XCTAssertEqual(a.amount, .percent(.all(.range(-0.05, 0.1))))
        XCTAssertEqual(a.padMode, .choice(CropAndPad.allPadModes))
        XCTAssertEqual(a.padCval, .range(0, 255))
        XCTAssertTrue(a.keepSize)

        let b = try only("- CropAndPad: {px: [1, [-2, 2], {choice: [0, 5]}, -3], keep_size: false, sample_independently: false, pad_mode: {choice: [edge, wrap]}}",
                         as: CropAndPad.self)
        XCTAssertEqual(b.amount, .px(.sides(top: .constant(1), right: .range(-2, 2), bottom: .choice([0, 5]), left: .constant(-3))))
        XCTAssertFalse(b.keepSize)
        XCTAssertFalse(b.sampleIndependently)
        XCTAssertEqual(b.padMode, .choice([.edge, .wrap]))

        let c = try only("- CropAndPad: {px: -2, pad_mode: linear_ramp}", as: CropAndPad.self)
        XCTAssertEqual(c.amount, .px(.all(.constant(-2))))
        XCTAssertEqual(c.padMode, .constant(.linearRamp))

        XCTAssertEqual(try only("- CropAndPad", as: CropAndPad.self).amount, .percent(.all(.range(-0.1, 0.1))))
    }

    func testCropAndPadErrorsNameTheKey() {
        Geo.assertPipelineError("- CropAndPad: {px: 2, percent: 0.1}", key: "percent")
        Geo.assertPipelineError("- CropAndPad: {px: 1.5}", key: "px")
        Geo.assertPipelineError("- CropAndPad: {px: [1, 2, 3]}", key: "px")
        Geo.assertPipelineError("- CropAndPad: {px: [1, [0.5, 2], 0, 0]}", key: "px.right")
        Geo.assertPipelineError("- CropAndPad: {percent: -1}", key: "percent")
        Geo.assertPipelineError("- CropAndPad: {percent: [-1.5, 0.1]}", key: "percent")
        Geo.assertPipelineError("- CropAndPad: {percent: [0, [-1.2, 0], 0, 0]}", key: "percent.right")
        Geo.assertPipelineError("- CropAndPad: {pad_mode: mirror}", key: "pad_mode")
        Geo.assertPipelineError("- CropAndPad: {keep_size: yes please}", key: "keep_size")
        Geo.assertPipelineError("- CropAndPad: {pad_cval: abc}", key: "pad_cval")
    }

    func testRoundTrips() throws {
        try Geo.assertRoundTrip("""
        - Affine: {scale: {x: [0.8, 1.2], y: [0.8, 1.2]}, translate_percent: {x: [-0.2, 0.2], y: [-0.2, 0.2]}, rotate: [-45, 45], shear: [-16, 16], order: [0, 1], cval: [0, 255], mode: ALL}
        - Affine: {translate_px: {x: 10, y: -7}, shear: 12, order: 3, mode: reflect, fit_output: true, backend: cv2}
        - Affine: {rotate: 90}
        - Affine: {scale: 1}
        - Affine: {}
        - CropAndPad: {percent: [-0.05, 0.1], pad_mode: ALL, pad_cval: [0, 255]}
        - CropAndPad: {px: [1, [-2, 2], {choice: [0, 5]}, -3], keep_size: false, sample_independently: false}
        - CropAndPad: {px: {choice: [-1, 1]}, pad_mode: {choice: [edge, mean]}}
        - Fliplr: {p: 0.5}
        """)
        // The written config keeps imgaug's names.
        let p = try Geo.parse("- Affine: {rotate: 90}\n- CropAndPad: {px: 2}")
        let text = PipelineWriter.render(p, format: .yaml)
        XCTAssertTrue(text.contains("rotate: 90"), text)
        XCTAssertTrue(text.contains("px: 2"), text)
        XCTAssertTrue(text.contains("pad_mode: constant"), text)
        // An all-identity Affine must not come back as imgaug's random default.
        let identity = try Geo.parse("- Affine: {scale: 1}")
        let back = try Geo.parse(PipelineWriter.render(identity, format: .yaml))
        XCTAssertEqual((back.children[0] as? Affine)?.rotate, .constant(0))
        // A shared constant shear (API only) keeps x = y through a file.
        let shared = Sequential([Affine(shear: .shared(.constant(8)))])
        let again = try PipelineReader.parse(PipelineWriter.render(shared, format: .yaml), format: .yaml)
        var rng = AugmentRandom(seed: 1)
        let s = (again.children[0] as! Affine).sample(&rng)
        XCTAssertEqual([s.shearX, s.shearY], [8, 8])
    }

    func testReadmeHeavyAugmentationGeometricPart() throws {
        // SPEC §12 items 1-4, as a pipeline file writes them.
        let p = try Geo.parse("""
        - Fliplr: {p: 0.5}
        - Flipud: {p: 0.2}
        - Sometimes:
            p: 0.5
            then:
              - CropAndPad: {percent: [-0.05, 0.1], pad_mode: ALL, pad_cval: [0, 255]}
        - Sometimes:
            p: 0.5
            then:
              - Affine: {scale: {x: [0.8, 1.2], y: [0.8, 1.2]}, translate_percent: {x: [-0.2, 0.2], y: [-0.2, 0.2]}, rotate: [-45, 45], shear: [-16, 16], order: [0, 1], cval: [0, 255], mode: ALL}
        """)
        let img = Geo.pattern(width: 32, height: 24, channels: 3)
        for seed in 0..<30 {
            var ctx = Geo.context(UInt64(seed))
            let out = try p.augment(img, &ctx)
            XCTAssertEqual([out.width, out.height, out.channels], [32, 24, 3])
        }
    }
}
