import XCTest
import MedAugCore
import MedAugImage
@testable import MedAugAugment

/// torchvision's TrivialAugmentWide and AutoAugment: every operation's exact
/// samples against torchvision 0.29, the magnitude tables, the sub-policy
/// list, the sampling, and what pipeline files may write.
///
/// The literals come from `parity/policy_test_values.py` (torch 2.15,
/// torchvision 0.29.2, run with the torch venv): each operation applied
/// with torchvision's own `_apply_image_or_video_transform` to 6x5 images
/// whose sample (x, y, k) is `(x*73 + y*151 + k*29 + x*y*7) % 256`,
/// written back channel-interleaved.
final class PolicyTorchvisionTests: XCTestCase {
    static func formula(channels: Int) -> Image {
        var s = [UInt8]()
        for y in 0..<5 { for x in 0..<6 { for k in 0..<channels { s.append(UInt8((x * 73 + y * 151 + k * 29 + x * y * 7) % 256)) } } }
        return Image(width: 6, height: 5, channels: channels, bytes: s)
    }

    func check(_ cases: [(String, Double, [Double]?, [UInt8])], channels: Int) throws {
        let image = Self.formula(channels: channels)
        for (name, magnitude, fill, expected) in cases {
            let op = try XCTUnwrap(TorchvisionOp(rawValue: name))
            let out = TorchvisionOps.apply(image, op: op, magnitude: magnitude, fill: fill)
            XCTAssertEqual(out.bytes, expected, "\(name) \(magnitude) fill \(String(describing: fill)), \(channels) channel(s)")
        }
    }

    func testOperationsMatchTorchvisionOnRGB() throws { try check(Self.rgbCases, channels: 3) }

    func testOperationsMatchTorchvisionOnGray() throws { try check(Self.grayCases, channels: 1) }

    func testAlphaIsKeptByColourOpsAndMovedByGeometricOps() {
        let rgb = Self.formula(channels: 3)
        let source: [UInt8] = rgb.bytes!
        var samples: [UInt8] = []
        for i in 0..<30 {
            samples += source[(3 * i)..<(3 * i + 3)]
            samples.append(UInt8(100 + i))
        }
        let rgba = Image(width: 6, height: 5, channels: 4, bytes: samples)
        for op in TorchvisionOp.allCases {
            let plain = TorchvisionOps.apply(rgb, op: op, magnitude: 0.4, fill: [7])
            let withAlpha = TorchvisionOps.apply(rgba, op: op, magnitude: 0.4, fill: [7])
            let a: [UInt8] = withAlpha.bytes!
            var colour: [UInt8] = [], alpha: [UInt8] = []
            for i in 0..<30 {
                colour += a[(4 * i)..<(4 * i + 3)]
                alpha.append(a[4 * i + 3])
            }
            XCTAssertEqual(colour, plain.bytes!, op.rawValue)
            switch op {
            case .shearX, .shearY, .translateX, .translateY, .rotate:
                // Uncovered pixels are opaque (a fill was given); the rest carry their own alpha along.
                XCTAssertTrue(alpha.allSatisfy { $0 == 255 || (100..<130).contains($0) }, op.rawValue)
            default:
                XCTAssertEqual(alpha, (0..<30).map { UInt8(100 + $0) } as [UInt8], op.rawValue)
            }
        }
    }

    func testSixteenBitUsesTheSixteenBitRange() {
        let image = Image(width: 2, height: 1, channels: 1, samples16: [1000, 40000])
        XCTAssertEqual(TorchvisionOps.apply(image, op: .invert, magnitude: 0).samples16, [64535, 25535])
        // Threshold 0.5 * 65535: only 40000 is inverted.
        XCTAssertEqual(TorchvisionOps.apply(image, op: .solarize, magnitude: 0.5).samples16, [1000, 25535])
        // 4 bits of 16 kept: the same bins as 4 bits of 8, at 16 bits.
        XCTAssertEqual(TorchvisionOps.apply(image, op: .posterize, magnitude: 4).samples16, [0, 36864])
        XCTAssertEqual(TorchvisionOps.apply(image, op: .autoContrast, magnitude: 0).samples16, [0, 65535])
        XCTAssertEqual(TorchvisionOps.apply(image, op: .brightness, magnitude: 0.5).samples16, [1500, 60000])
        // The fill is in 8-bit units, scaled by 257.
        let shifted = TorchvisionOps.apply(image, op: .translateX, magnitude: 1, fill: [2])
        XCTAssertEqual(shifted.samples16, [514, 1000])
        // Equalize over 65536 bins with a real-number step: two values go to the ends of the range.
        let eq = TorchvisionOps.apply(Image(width: 4, height: 1, channels: 1, samples16: [1000, 1000, 40000, 40000]),
                                      op: .equalize, magnitude: 0)
        XCTAssertEqual(eq.samples16, [0, 0, 65535, 65535])
    }

    func testMagnitudeTablesMatchTorchvision() {
        let ta = Dictionary(uniqueKeysWithValues: TorchvisionPolicyTables.trivialAugmentWide(bins: 31).map { ($0.0.rawValue, $0.1) })
        XCTAssertEqual(ta.count, 14)
        for (name, expected) in Self.trivialTables { XCTAssertEqual(ta[name]?.magnitudes, expected, name) }
        for name in ["ShearY", "Brightness", "Color", "Contrast", "Sharpness"] {
            XCTAssertEqual(ta[name]?.magnitudes, Self.trivialTables["ShearX"], name)
        }
        XCTAssertEqual(ta["TranslateY"]?.magnitudes, Self.trivialTables["TranslateX"])
        XCTAssertEqual(Set(ta.filter { $0.value.signed }.keys),
                       ["ShearX", "ShearY", "TranslateX", "TranslateY", "Rotate", "Brightness", "Color", "Contrast", "Sharpness"])
        XCTAssertEqual(Set(ta.filter { $0.value.magnitudes == nil }.keys), ["Identity", "AutoContrast", "Equalize"])
        for (name, expected) in Self.autoTables {
            let op = TorchvisionOp(rawValue: name)!
            XCTAssertEqual(TorchvisionPolicyTables.autoAugmentSpace(op, width: 224, height: 200).magnitudes, expected, name)
        }
        XCTAssertNil(TorchvisionPolicyTables.autoAugmentSpace(.invert, width: 224, height: 200).magnitudes)
    }

    func testImagenetSubPolicies() {
        let p = TorchvisionPolicyTables.subPolicies("imagenet")
        XCTAssertEqual(p.count, 25)
        XCTAssertTrue(p.allSatisfy { $0.count == 2 })
        XCTAssertEqual(p[0], [.init(op: .posterize, probability: 0.4, bin: 8), .init(op: .rotate, probability: 0.6, bin: 9)])
        XCTAssertEqual(p[14], [.init(op: .color, probability: 0.6, bin: 4), .init(op: .contrast, probability: 1.0, bin: 8)])
        XCTAssertEqual(p[24], [.init(op: .equalize, probability: 0.8, bin: nil), .init(op: .equalize, probability: 0.6, bin: nil)])
        // Counts of each operation over the 50 steps, from torchvision's list.
        var counts: [String: Int] = [:]
        for s in p.joined() { counts[s.op.rawValue, default: 0] += 1 }
        XCTAssertEqual(counts, ["Posterize": 5, "Rotate": 6, "Solarize": 7, "AutoContrast": 2, "Equalize": 17,
                                "Color": 6, "Contrast": 2, "Invert": 3, "Sharpness": 1, "ShearX": 1])
        XCTAssertEqual(TorchvisionPolicyTables.subPolicies("cifar10").count, 25)
        XCTAssertEqual(TorchvisionPolicyTables.subPolicies("svhn")[15][1], .init(op: .translateY, probability: 0, bin: 2))
    }

    func testTrivialAugmentDrawsEveryOperationBinAndSign() throws {
        var ops: [String: Int] = [:], bins = Set<String>(), signs = Set<String>()
        for k in 0..<3000 {
            var context = AugmentContext(seed: 7, identity: "img#\(k)", recordTrace: true)
            _ = try TrivialAugmentWide().augment(Self.formula(channels: 3), &context)
            let step = try XCTUnwrap(context.trace?.first)
            let values = Dictionary(uniqueKeysWithValues: step.values)
            ops[values["op"]!, default: 0] += 1
            if let b = values["bin"] { bins.insert(b) }
            if let s = values["sign"] { signs.insert(s) }
        }
        XCTAssertEqual(ops.count, 14)
        XCTAssertTrue(ops.values.allSatisfy { abs($0 - 3000 / 14) < 70 }, "\(ops)")
        XCTAssertEqual(bins.count, 31)
        XCTAssertEqual(signs, ["+", "-"])
    }

    func testAutoAugmentRecordsItsSteps() throws {
        var context = AugmentContext(seed: 3, identity: "x", recordTrace: true)
        _ = try AutoAugment().augment(Self.formula(channels: 3), &context)
        let step = try XCTUnwrap(context.trace?.first)
        XCTAssertEqual(step.values.map(\.0), ["sub_policy", "first", "second"])
        var bad = AutoAugment()
        bad.policy = "kinetics"
        var c2 = AugmentContext(seed: 3, identity: "x")
        XCTAssertThrowsError(try bad.augment(Self.formula(channels: 3), &c2))
    }

    func testPipelineFiles() throws {
        let p = try PipelineReader.parse("""
        - TrivialAugmentWide
        - TrivialAugmentWide: {num_magnitude_bins: 10, interpolation: nearest, fill: [1, 2, 3]}
        - AutoAugment
        - AutoAugment: {policy: cifar10, fill: 128}
        """, format: .yaml)
        XCTAssertEqual((p.children[0] as? TrivialAugmentWide)?.numMagnitudeBins, 31)
        XCTAssertNil((p.children[0] as? TrivialAugmentWide)?.fill)
        XCTAssertEqual((p.children[1] as? TrivialAugmentWide)?.fill, [1, 2, 3])
        XCTAssertEqual((p.children[2] as? AutoAugment)?.policy, "imagenet")
        XCTAssertEqual((p.children[3] as? AutoAugment)?.fill, [128])
        for format in [ConfigCoding.Format.yaml, .json] {
            let back = try PipelineReader.parse(PipelineWriter.render(p, format: format), format: format)
            XCTAssertEqual(PipelineWriter.value(back), PipelineWriter.value(p))
        }
        for (yaml, key) in [("- AutoAugment: {policy: kinetics}", "policy"),
                            ("- TrivialAugmentWide: {interpolation: bilinear}", "interpolation"),
                            ("- TrivialAugmentWide: {num_magnitude_bins: 1}", "num_magnitude_bins"),
                            ("- TrivialAugmentWide: {fill: 300}", "fill"),
                            ("- AutoAugment: {fill: [1, 2]}", "fill")] {
            DAC.assertPipelineError(yaml, key: key)
        }
    }

    static let rgbCases: [(String, Double, [Double]?, [UInt8])] = [
        ("ShearX", 0.33, nil, [0, 29, 58, 73, 102, 131, 146, 175, 204, 219, 248, 21, 36, 65, 94, 109, 138, 167, 151, 180, 209, 231, 4, 33, 55, 84, 113, 135, 164, 193, 215, 244, 17, 39, 68, 97, 133, 162, 191, 220, 249, 22, 51, 80, 109, 138, 167, 196, 225, 254, 27, 0, 0, 0, 35, 64, 93, 129, 158, 187, 223, 252, 25, 61, 90, 119, 155, 184, 213, 0, 0, 0, 193, 222, 251, 38, 67, 96, 139, 168, 197, 240, 13, 42, 85, 114, 143, 0, 0, 0]),
        ("ShearX", -0.5, nil, [0, 29, 58, 73, 102, 131, 146, 175, 204, 219, 248, 21, 36, 65, 94, 109, 138, 167, 0, 0, 0, 151, 180, 209, 231, 4, 33, 55, 84, 113, 135, 164, 193, 215, 244, 17, 0, 0, 0, 46, 75, 104, 133, 162, 191, 220, 249, 22, 51, 80, 109, 138, 167, 196, 0, 0, 0, 0, 0, 0, 197, 226, 255, 35, 64, 93, 129, 158, 187, 223, 252, 25, 0, 0, 0, 0, 0, 0, 92, 121, 150, 193, 222, 251, 38, 67, 96, 139, 168, 197]),
        ("ShearY", 0.66, nil, [0, 29, 58, 231, 4, 33, 220, 249, 22, 51, 80, 109, 61, 90, 119, 85, 114, 143, 151, 180, 209, 133, 162, 191, 129, 158, 187, 223, 252, 25, 240, 13, 42, 0, 0, 0, 46, 75, 104, 35, 64, 93, 38, 67, 96, 139, 168, 197, 0, 0, 0, 0, 0, 0, 197, 226, 255, 193, 222, 251, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 92, 121, 150, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
        ("ShearY", -0.2, [10, 20, 30], [0, 29, 58, 73, 102, 131, 146, 175, 204, 10, 20, 30, 10, 20, 30, 10, 20, 30, 151, 180, 209, 231, 4, 33, 146, 175, 204, 219, 248, 21, 36, 65, 94, 109, 138, 167, 46, 75, 104, 133, 162, 191, 55, 84, 113, 135, 164, 193, 215, 244, 17, 39, 68, 97, 197, 226, 255, 35, 64, 93, 220, 249, 22, 51, 80, 109, 138, 167, 196, 225, 254, 27, 92, 121, 150, 193, 222, 251, 38, 67, 96, 223, 252, 25, 61, 90, 119, 155, 184, 213]),
        ("TranslateX", 2.9, nil, [0, 0, 0, 0, 0, 0, 0, 29, 58, 73, 102, 131, 146, 175, 204, 219, 248, 21, 0, 0, 0, 0, 0, 0, 151, 180, 209, 231, 4, 33, 55, 84, 113, 135, 164, 193, 0, 0, 0, 0, 0, 0, 46, 75, 104, 133, 162, 191, 220, 249, 22, 51, 80, 109, 0, 0, 0, 0, 0, 0, 197, 226, 255, 35, 64, 93, 129, 158, 187, 223, 252, 25, 0, 0, 0, 0, 0, 0, 92, 121, 150, 193, 222, 251, 38, 67, 96, 139, 168, 197]),
        ("TranslateY", -3.3, [200], [197, 226, 255, 35, 64, 93, 129, 158, 187, 223, 252, 25, 61, 90, 119, 155, 184, 213, 92, 121, 150, 193, 222, 251, 38, 67, 96, 139, 168, 197, 240, 13, 42, 85, 114, 143, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200, 200]),
        ("Rotate", 30.0, nil, [0, 0, 0, 146, 175, 204, 219, 248, 21, 215, 244, 17, 39, 68, 97, 0, 0, 0, 73, 102, 131, 146, 175, 204, 135, 164, 193, 135, 164, 193, 138, 167, 196, 225, 254, 27, 151, 180, 209, 231, 4, 33, 220, 249, 22, 51, 80, 109, 61, 90, 119, 155, 184, 213, 46, 75, 104, 133, 162, 191, 129, 158, 187, 129, 158, 187, 139, 168, 197, 240, 13, 42, 0, 0, 0, 197, 226, 255, 35, 64, 93, 38, 67, 96, 139, 168, 197, 0, 0, 0]),
        ("Rotate", -13.5, [10, 20, 30], [151, 180, 209, 73, 102, 131, 146, 175, 204, 219, 248, 21, 219, 248, 21, 10, 20, 30, 46, 75, 104, 231, 4, 33, 55, 84, 113, 135, 164, 193, 215, 244, 17, 109, 138, 167, 197, 226, 255, 133, 162, 191, 220, 249, 22, 51, 80, 109, 138, 167, 196, 39, 68, 97, 92, 121, 150, 35, 64, 93, 129, 158, 187, 223, 252, 25, 61, 90, 119, 225, 254, 27, 10, 20, 30, 38, 67, 96, 38, 67, 96, 139, 168, 197, 240, 13, 42, 155, 184, 213]),
        ("Rotate", 180.0, nil, [85, 114, 143, 240, 13, 42, 139, 168, 197, 38, 67, 96, 193, 222, 251, 92, 121, 150, 155, 184, 213, 61, 90, 119, 223, 252, 25, 129, 158, 187, 35, 64, 93, 197, 226, 255, 225, 254, 27, 138, 167, 196, 51, 80, 109, 220, 249, 22, 133, 162, 191, 46, 75, 104, 39, 68, 97, 215, 244, 17, 135, 164, 193, 55, 84, 113, 231, 4, 33, 151, 180, 209, 109, 138, 167, 36, 65, 94, 219, 248, 21, 146, 175, 204, 73, 102, 131, 0, 29, 58]),
        ("Rotate", 90.0, nil, [36, 65, 94, 36, 65, 94, 138, 167, 196, 138, 167, 196, 240, 13, 42, 240, 13, 42, 36, 65, 94, 36, 65, 94, 138, 167, 196, 138, 167, 196, 240, 13, 42, 240, 13, 42, 146, 175, 204, 146, 175, 204, 220, 249, 22, 220, 249, 22, 38, 67, 96, 38, 67, 96, 73, 102, 131, 73, 102, 131, 133, 162, 191, 133, 162, 191, 193, 222, 251, 193, 222, 251, 0, 29, 58, 0, 29, 58, 46, 75, 104, 46, 75, 104, 92, 121, 150, 92, 121, 150]),
        ("Brightness", 0.5, nil, [0, 43, 87, 109, 153, 196, 219, 255, 255, 255, 255, 31, 54, 97, 141, 163, 207, 250, 226, 255, 255, 255, 6, 49, 82, 126, 169, 202, 246, 255, 255, 255, 25, 58, 102, 145, 69, 112, 156, 199, 243, 255, 255, 255, 33, 76, 120, 163, 207, 250, 255, 255, 255, 40, 255, 255, 255, 52, 96, 139, 193, 237, 255, 255, 255, 37, 91, 135, 178, 232, 255, 255, 138, 181, 225, 255, 255, 255, 57, 100, 144, 208, 252, 255, 255, 19, 63, 127, 171, 214]),
        ("Brightness", -0.33, nil, [0, 19, 38, 48, 68, 87, 97, 117, 136, 146, 166, 14, 24, 43, 62, 73, 92, 111, 101, 120, 140, 154, 2, 22, 36, 56, 75, 90, 109, 129, 144, 163, 11, 26, 45, 64, 30, 50, 69, 89, 108, 127, 147, 166, 14, 34, 53, 73, 92, 111, 131, 150, 170, 18, 131, 151, 170, 23, 42, 62, 86, 105, 125, 149, 168, 16, 40, 60, 79, 103, 123, 142, 61, 81, 100, 129, 148, 168, 25, 44, 64, 93, 112, 131, 160, 8, 28, 56, 76, 95]),
        ("Color", 0.7, nil, [0, 33, 82, 56, 106, 155, 129, 179, 228, 223, 255, 0, 19, 69, 118, 92, 142, 191, 134, 184, 233, 255, 0, 3, 38, 88, 137, 118, 168, 217, 219, 255, 0, 22, 72, 121, 29, 79, 128, 116, 166, 215, 224, 255, 0, 34, 84, 133, 121, 171, 220, 229, 255, 0, 180, 230, 255, 18, 68, 117, 112, 162, 211, 227, 255, 0, 44, 94, 143, 138, 188, 237, 75, 125, 174, 176, 226, 255, 21, 71, 120, 122, 172, 221, 255, 0, 12, 68, 118, 167]),
        ("Color", -0.6, nil, [13, 25, 37, 86, 98, 110, 159, 171, 183, 215, 227, 136, 49, 61, 73, 122, 134, 146, 164, 176, 188, 137, 46, 58, 68, 80, 92, 148, 160, 172, 211, 223, 132, 52, 64, 76, 59, 71, 83, 146, 158, 170, 216, 228, 137, 64, 76, 88, 151, 163, 175, 221, 233, 142, 210, 222, 234, 48, 60, 72, 142, 154, 166, 219, 231, 140, 74, 86, 98, 168, 180, 192, 105, 117, 129, 206, 218, 230, 51, 63, 75, 152, 164, 176, 146, 55, 67, 98, 110, 122]),
        ("Contrast", 0.5, nil, [0, 0, 20, 42, 86, 129, 152, 195, 239, 255, 255, 0, 0, 30, 74, 96, 140, 183, 159, 203, 246, 255, 0, 0, 15, 59, 102, 135, 179, 222, 255, 255, 0, 0, 35, 78, 2, 45, 89, 132, 176, 219, 255, 255, 0, 9, 53, 96, 140, 183, 227, 255, 255, 0, 228, 255, 255, 0, 29, 72, 126, 170, 213, 255, 255, 0, 24, 68, 111, 165, 209, 252, 71, 114, 158, 222, 255, 255, 0, 33, 77, 141, 185, 228, 255, 0, 0, 60, 104, 147]),
        ("Contrast", -0.8, nil, [106, 112, 118, 121, 126, 132, 135, 141, 147, 150, 156, 110, 113, 119, 125, 128, 134, 139, 136, 142, 148, 152, 107, 113, 117, 123, 129, 133, 139, 145, 149, 155, 109, 114, 120, 125, 115, 121, 127, 133, 138, 144, 150, 156, 110, 116, 122, 128, 134, 139, 145, 151, 157, 111, 145, 151, 157, 113, 119, 125, 132, 138, 143, 151, 156, 111, 118, 124, 130, 137, 143, 149, 124, 130, 136, 145, 150, 156, 114, 119, 125, 134, 140, 145, 154, 109, 114, 123, 129, 135]),
        ("Sharpness", 0.9, nil, [0, 29, 58, 73, 102, 131, 146, 175, 204, 219, 248, 21, 36, 65, 94, 109, 138, 167, 151, 180, 209, 255, 0, 0, 1, 48, 113, 135, 164, 246, 255, 255, 0, 39, 68, 97, 46, 75, 104, 133, 180, 226, 255, 255, 0, 0, 26, 109, 138, 167, 249, 225, 254, 27, 197, 226, 255, 0, 10, 57, 129, 158, 222, 255, 255, 0, 7, 54, 119, 155, 184, 213, 92, 121, 150, 193, 222, 251, 38, 67, 96, 139, 168, 197, 240, 13, 42, 85, 114, 143]),
        ("Sharpness", -0.9, nil, [0, 29, 58, 73, 102, 131, 146, 175, 204, 219, 248, 21, 36, 65, 94, 109, 138, 167, 151, 180, 209, 159, 75, 86, 108, 119, 113, 135, 164, 139, 161, 190, 70, 39, 68, 97, 46, 75, 104, 133, 144, 155, 166, 177, 75, 104, 133, 109, 138, 167, 142, 225, 254, 27, 197, 226, 255, 88, 117, 128, 129, 158, 151, 169, 180, 78, 114, 125, 119, 155, 184, 213, 92, 121, 150, 193, 222, 251, 38, 67, 96, 139, 168, 197, 240, 13, 42, 85, 114, 143]),
        ("Posterize", 3.0, nil, [0, 0, 32, 64, 96, 128, 128, 160, 192, 192, 224, 0, 32, 64, 64, 96, 128, 160, 128, 160, 192, 224, 0, 32, 32, 64, 96, 128, 160, 192, 192, 224, 0, 32, 64, 96, 32, 64, 96, 128, 160, 160, 192, 224, 0, 32, 64, 96, 128, 160, 192, 224, 224, 0, 192, 224, 224, 32, 64, 64, 128, 128, 160, 192, 224, 0, 32, 64, 96, 128, 160, 192, 64, 96, 128, 192, 192, 224, 32, 64, 96, 128, 160, 192, 224, 0, 32, 64, 96, 128]),
        ("Solarize", 0.5, nil, [0, 29, 58, 73, 102, 124, 109, 80, 51, 36, 7, 21, 36, 65, 94, 109, 117, 88, 104, 75, 46, 24, 4, 33, 55, 84, 113, 120, 91, 62, 40, 11, 17, 39, 68, 97, 46, 75, 104, 122, 93, 64, 35, 6, 22, 51, 80, 109, 117, 88, 59, 30, 1, 27, 58, 29, 0, 35, 64, 93, 126, 97, 68, 32, 3, 25, 61, 90, 119, 100, 71, 42, 92, 121, 105, 62, 33, 4, 38, 67, 96, 116, 87, 58, 15, 13, 42, 85, 114, 112]),
        ("AutoContrast", 0.0, nil, [0, 25, 43, 77, 99, 122, 155, 174, 200, 232, 248, 4, 38, 62, 82, 115, 136, 160, 160, 179, 205, 245, 0, 17, 58, 81, 102, 143, 163, 188, 228, 244, 0, 41, 65, 85, 48, 72, 93, 141, 161, 186, 233, 249, 5, 54, 77, 98, 146, 166, 191, 239, 254, 10, 209, 226, 254, 37, 61, 81, 137, 157, 182, 236, 252, 8, 64, 87, 109, 164, 183, 209, 97, 119, 142, 205, 222, 250, 40, 64, 84, 147, 167, 192, 254, 9, 26, 90, 112, 134]),
        ("Equalize", 0.0, nil, [0, 29, 58, 73, 102, 131, 146, 175, 204, 219, 248, 21, 36, 65, 94, 109, 138, 167, 151, 180, 209, 231, 4, 33, 55, 84, 113, 135, 164, 193, 215, 244, 17, 39, 68, 97, 46, 75, 104, 133, 162, 191, 220, 249, 22, 51, 80, 109, 138, 167, 196, 225, 254, 27, 197, 226, 255, 35, 64, 93, 129, 158, 187, 223, 252, 25, 61, 90, 119, 155, 184, 213, 92, 121, 150, 193, 222, 251, 38, 67, 96, 139, 168, 197, 240, 13, 42, 85, 114, 143]),
        ("Invert", 0.0, nil, [255, 226, 197, 182, 153, 124, 109, 80, 51, 36, 7, 234, 219, 190, 161, 146, 117, 88, 104, 75, 46, 24, 251, 222, 200, 171, 142, 120, 91, 62, 40, 11, 238, 216, 187, 158, 209, 180, 151, 122, 93, 64, 35, 6, 233, 204, 175, 146, 117, 88, 59, 30, 1, 228, 58, 29, 0, 220, 191, 162, 126, 97, 68, 32, 3, 230, 194, 165, 136, 100, 71, 42, 163, 134, 105, 62, 33, 4, 217, 188, 159, 116, 87, 58, 15, 242, 213, 170, 141, 112]),
    ]
    static let grayCases: [(String, Double, [Double]?, [UInt8])] = [
        ("Contrast", 0.5, nil, [0, 46, 155, 255, 0, 100, 163, 255, 19, 139, 255, 0, 5, 136, 255, 13, 143, 255, 232, 0, 130, 255, 28, 169, 74, 226, 0, 145, 255, 64]),
        ("Rotate", 30.0, nil, [0, 146, 219, 215, 39, 0, 73, 146, 135, 135, 138, 225, 151, 231, 220, 51, 61, 155, 46, 133, 129, 129, 139, 240, 0, 197, 35, 38, 139, 0]),
        ("Equalize", 0.0, nil, [0, 73, 146, 219, 36, 109, 151, 231, 55, 135, 215, 39, 46, 133, 220, 51, 138, 225, 197, 35, 129, 223, 61, 155, 92, 193, 38, 139, 240, 85]),
        ("AutoContrast", 0.0, nil, [0, 77, 155, 232, 38, 115, 160, 245, 58, 143, 228, 41, 48, 141, 233, 54, 146, 239, 209, 37, 137, 236, 64, 164, 97, 205, 40, 147, 254, 90]),
        ("Sharpness", -0.6, nil, [0, 73, 146, 219, 36, 109, 151, 183, 90, 135, 179, 39, 46, 133, 184, 86, 138, 225, 197, 70, 129, 187, 96, 155, 92, 193, 38, 139, 240, 85]),
        ("Brightness", 0.25, nil, [0, 91, 182, 255, 45, 136, 188, 255, 68, 168, 255, 48, 57, 166, 255, 63, 172, 255, 246, 43, 161, 255, 76, 193, 115, 241, 47, 173, 255, 106]),
    ]

    static let trivialTables: [String: [Double]] = [
        "ShearX": [0.0, 0.032999999821186066, 0.06599999964237213, 0.0989999994635582, 0.13199999928474426, 0.16499999165534973, 0.1979999989271164, 0.23100000619888306, 0.2639999985694885, 0.296999990940094, 0.32999998331069946, 0.3630000054836273, 0.3959999978542328, 0.42899999022483826, 0.4620000123977661, 0.4950000047683716, 0.527999997138977, 0.5609999895095825, 0.593999981880188, 0.6270000338554382, 0.6600000262260437, 0.6930000185966492, 0.7260000109672546, 0.7590000033378601, 0.7919999957084656, 0.824999988079071, 0.8580000400543213, 0.8910000324249268, 0.9240000247955322, 0.9570000171661377, 0.9900000095367432],
        "TranslateX": [0.0, 1.0666667222976685, 2.133333444595337, 3.200000286102295, 4.266666889190674, 5.333333492279053, 6.40000057220459, 7.466667175292969, 8.533333778381348, 9.600000381469727, 10.666666984558105, 11.733333587646484, 12.80000114440918, 13.866667747497559, 14.933334350585938, 15.999999046325684, 17.066665649414062, 18.133333206176758, 19.19999885559082, 20.266666412353516, 21.333332061767578, 22.399999618530273, 23.46666717529297, 24.53333282470703, 25.600000381469727, 26.66666603088379, 27.733333587646484, 28.799999237060547, 29.866666793823242, 30.933332443237305, 32.0],
        "Rotate": [0.0, 4.5, 9.0, 13.5, 18.0, 22.5, 27.0, 31.5, 36.0, 40.5, 45.0, 49.5, 54.0, 58.5, 63.0, 67.5, 72.0, 76.5, 81.0, 85.5, 90.0, 94.5, 99.0, 103.5, 108.0, 112.5, 117.0, 121.5, 126.0, 130.5, 135.0],
        "Posterize": [8.0, 8.0, 8.0, 7.0, 7.0, 7.0, 7.0, 7.0, 6.0, 6.0, 6.0, 6.0, 6.0, 5.0, 5.0, 5.0, 5.0, 5.0, 4.0, 4.0, 4.0, 4.0, 4.0, 3.0, 3.0, 3.0, 3.0, 3.0, 2.0, 2.0, 2.0],
        "Solarize": [1.0, 0.9666666388511658, 0.9333333373069763, 0.8999999761581421, 0.8666666746139526, 0.8333333134651184, 0.800000011920929, 0.7666666507720947, 0.7333333492279053, 0.699999988079071, 0.6666666269302368, 0.6333333253860474, 0.5999999642372131, 0.5666666626930237, 0.5333333015441895, 0.5, 0.46666669845581055, 0.4333333671092987, 0.40000003576278687, 0.36666667461395264, 0.3333333432674408, 0.30000001192092896, 0.2666666805744171, 0.23333334922790527, 0.20000001788139343, 0.1666666716337204, 0.13333334028720856, 0.10000000894069672, 0.06666667014360428, 0.03333333507180214, 0.0],
    ]
    static let autoTables: [String: [Double]] = [
        "ShearX": [0.0, 0.03333333507180214, 0.06666667014360428, 0.10000000894069672, 0.13333334028720856, 0.1666666716337204, 0.20000000298023224, 0.23333334922790527, 0.2666666805744171, 0.30000001192092896],
        "TranslateX": [0.0, 11.278952598571777, 22.557905197143555, 33.836856842041016, 45.11581039428711, 56.3947639465332, 67.67371368408203, 78.95266723632812, 90.23162078857422, 101.51057434082031],
        "TranslateY": [0.0, 10.0704927444458, 20.1409854888916, 30.21147918701172, 40.2819709777832, 50.35246658325195, 60.42295837402344, 70.49345397949219, 80.5639419555664, 90.63443756103516],
        "Rotate": [0.0, 3.3333332538604736, 6.666666507720947, 10.0, 13.333333015441895, 16.666667938232422, 20.0, 23.33333396911621, 26.66666603088379, 30.0],
        "Brightness": [0.0, 0.09999999403953552, 0.19999998807907104, 0.29999998211860657, 0.3999999761581421, 0.5, 0.6000000238418579, 0.699999988079071, 0.7999999523162842, 0.8999999761581421],
        "Posterize": [8.0, 8.0, 7.0, 7.0, 6.0, 6.0, 5.0, 5.0, 4.0, 4.0],
        "Solarize": [1.0, 0.8888888955116272, 0.7777777910232544, 0.6666666865348816, 0.5555555820465088, 0.4444444477558136, 0.3333333432674408, 0.2222222238779068, 0.1111111119389534, 0.0],
    ]
}
