import XCTest
import MedAugImage
@testable import MedAugAugment

/// The presets offered to new studies do what their comments promise.
final class PresetTests: XCTestCase {
    /// medical-xray never mirrors a radiograph: a bright marker in the top-left
    /// quarter stays there (rotations up to 7 degrees and shifts of 4% cannot
    /// carry it across), on gray 8- and 16-bit images, over many draws.
    func testMedicalXrayKeepsLeftAndUpAndTheBitDepth() throws {
        let p = try Presets.pipeline("medical-xray")
        let w = 96, h = 96
        var px = [UInt8](repeating: 60, count: w * h)
        for y in 10..<26 { for x in 10..<26 { px[y * w + x] = 250 } }
        let image = Image(width: w, height: h, channels: 1, bytes: px)
        for (k, input) in [image, image.to16Bit()].enumerated() {
            for seed in 0..<40 {
                var ctx = AugmentContext(seed: UInt64(seed), identity: "xray#\(k)")
                let out = try p.augment(input, &ctx)
                XCTAssertEqual(out.bitDepth, input.bitDepth)
                XCTAssertEqual([out.width, out.height, out.channels], [w, h, 1])
                let b = out.to8Bit().bytes!
                func mean(_ xs: Range<Int>, _ ys: Range<Int>) -> Double {
                    var s = 0.0
                    for y in ys { for x in xs { s += Double(b[y * w + x]) } }
                    return s / Double(xs.count * ys.count)
                }
                let topLeft = mean(0..<48, 0..<48)
                for other in [mean(48..<96, 0..<48), mean(0..<48, 48..<96), mean(48..<96, 48..<96)] {
                    XCTAssertGreaterThan(topLeft, other + 5, "seed \(seed): the marker left the top-left quarter")
                }
            }
        }
    }

    func testEveryPresetParsesAndNamesItsPurpose() throws {
        for name in Presets.names {
            XCTAssertNoThrow(try Presets.pipeline(name), name)
        }
        XCTAssertTrue(Presets.text("medical-xray")!.contains("not one of the study's settings"))
    }
}
