import XCTest
import MedAugImage
@testable import MedAugAugment

/// CLAHE and AllChannelsCLAHE against values computed with OpenCV 4.7
/// (`cv2.createCLAHE(...).apply`) and imgaug 0.4.0.
final class CLAHETests: XCTestCase {
    static let in8: [UInt8] = [
        106, 152, 249, 131, 184, 200, 0, 21, 253, 147, 202, 107, 249, 169, 138, 149, 119, 166, 224, 148, 172,
        93, 167, 142, 248, 26, 81, 218, 150, 66, 2, 191, 60, 129, 179, 90, 69, 104, 110, 97, 157, 106,
        152, 251, 62, 7, 248, 171, 33, 123, 79, 176, 37, 20, 94, 49, 149, 127, 206, 244, 28, 119, 54]

    /// `in8` as a 9×7 image through the kernel.
    func kernel8(_ clip: Double, _ tx: Int, _ ty: Int) -> [UInt8] {
        CLAHEKernel.apply(DAC.image(9, 7, 1, CLAHETests.in8), channel: 0, clipLimit: clip, tilesX: tx, tilesY: ty).bytes!
    }

    func testKernelMatchesOpenCV8Bit() {
        // Padded grid (7 % 3, 9 % 3 == 0: both sides grow), clipping with a residual.
        XCTAssertEqual(kernel8(2, 3, 3), [
            64, 170, 255, 101, 202, 223, 21, 42, 255, 128, 212, 85, 255, 180, 106, 149, 90, 170, 234, 152, 194,
            56, 172, 125, 252, 54, 76, 223, 170, 53, 18, 212, 50, 106, 204, 85, 92, 131, 156, 101, 177, 95,
            149, 254, 64, 38, 255, 216, 46, 140, 74, 191, 30, 10, 106, 64, 191, 165, 223, 234, 10, 112, 48])
        // Different grid per axis (tileGridSize=(4, 2)), no clipping in effect.
        XCTAssertEqual(kernel8(40, 4, 2), [
            42, 149, 255, 74, 188, 230, 10, 39, 255, 85, 191, 64, 255, 166, 113, 149, 117, 191, 234, 106, 170,
            42, 149, 132, 234, 57, 85, 218, 144, 33, 13, 208, 47, 122, 211, 112, 53, 85, 114, 80, 161, 101,
            165, 246, 92, 32, 250, 211, 34, 130, 67, 212, 73, 34, 128, 64, 188, 170, 234, 252, 42, 163, 99])
        // Grid as large as the image: one-pixel tiles, clip limit raised to 1.
        XCTAssertEqual(kernel8(0.5, 9, 7), [
            255, 255, 255, 128, 255, 255, 128, 255, 255, 255, 255, 64, 255, 128, 64, 191, 191, 191, 255, 128, 191,
            64, 128, 128, 255, 64, 128, 128, 128, 64, 64, 255, 64, 128, 191, 191, 128, 128, 191, 191, 191, 128,
            255, 255, 64, 128, 255, 191, 64, 191, 64, 255, 64, 64, 255, 128, 128, 128, 255, 255, 64, 191, 191])
    }

    func testKernelMatchesOpenCV16Bit() {
        let in16: [UInt16] = [17408, 8896, 64489, 8466, 17780, 14271, 16037, 35000, 30648, 61383, 59557, 42749,
                              16046, 33313, 2161, 11265, 8021, 45173, 45943, 30666, 16107, 40828, 19428, 61027,
                              2779, 61328, 23039, 62288, 52896, 43920]
        let out = CLAHEKernel.apply(Image(width: 6, height: 5, channels: 1, samples16: in16),
                                    channel: 0, clipLimit: 3, tilesX: 2, tilesY: 3)
        XCTAssertEqual(out.samples16!, [32768, 16384, 65535, 10240, 32768, 22528, 24576, 49151, 40959, 59391,
                                        53247, 49151, 24576, 45055, 4096, 17408, 8192, 53247, 65535, 40959,
                                        32768, 55295, 32768, 65535, 8192, 61439, 28672, 65535, 55295, 46079])
    }

    func testReflect101() {
        XCTAssertEqual((0..<12).map { CLAHEKernel.reflect101($0, 5) }, [0, 1, 2, 3, 4, 3, 2, 1, 0, 1, 2, 3])
        XCTAssertEqual((0..<4).map { CLAHEKernel.reflect101($0, 1) }, [0, 0, 0, 0])
    }

    // MARK: imgaug's values

    static let rgb: [UInt8] = [218, 150, 66, 2, 191, 60, 129, 179, 90, 69, 104, 110,
                               97, 157, 106, 152, 251, 62, 7, 248, 171, 33, 123, 79]
    static let gray: [UInt8] = [146, 192, 171, 40, 61, 187, 147, 178, 189, 159, 188, 133, 182, 66, 121]
    static var rgba: [UInt8] {
        let alpha: [UInt8] = [10, 20, 30, 40, 50, 60, 70, 10]
        var out: [UInt8] = []
        for i in 0..<8 {
            out += rgb[3 * i..<3 * i + 3]
            out.append(alpha[i])
        }
        return out
    }

    func testCLAHEMatchesImgaug() throws {
        let rgb = DAC.image(4, 2, 3, CLAHETests.rgb)
        let lab = CLAHE(clipLimit: .constant(2), tileGridSizePx: .both(.constant(3)))
        XCTAssertEqual(try DAC.run(lab, rgb).bytes!,
                       [167, 106, 19, 140, 255, 146, 219, 255, 175, 89, 125, 133, 6, 70, 25, 183, 255, 92, 19, 249, 173, 48, 135, 89])
        XCTAssertEqual(try DAC.run(lab, DAC.image(4, 2, 4, CLAHETests.rgba)).bytes!,
                       [167, 106, 19, 10, 140, 255, 146, 20, 219, 255, 175, 30, 89, 125, 133, 40,
                        6, 70, 25, 50, 183, 255, 92, 60, 19, 249, 173, 70, 48, 135, 89, 10])
        XCTAssertEqual(try DAC.run(lab, DAC.image(5, 3, 1, CLAHETests.gray)).bytes!,
                       [64, 255, 128, 64, 96, 191, 128, 160, 255, 128, 223, 32, 160, 64, 96])
        let hsv = CLAHE(clipLimit: .constant(4), tileGridSizePx: .perAxis(height: .constant(2), width: .constant(3)),
                        fromColorspace: "BGR", toColorspace: "HSV")
        XCTAssertEqual(try DAC.run(hsv, rgb).bytes!,
                       [255, 178, 77, 2, 128, 39, 92, 128, 64, 80, 122, 128, 40, 64, 43, 153, 255, 63, 6, 223, 151, 34, 128, 81])
        let hls = CLAHE(clipLimit: .constant(1), tileGridSizePx: .both(.constant(4)), toColorspace: "HLS")
        XCTAssertEqual(try DAC.run(hls, rgb).bytes!,
                       [255, 255, 255, 3, 253, 78, 189, 215, 169, 99, 149, 157, 98, 158, 106, 255, 255, 255, 70, 250, 190, 27, 101, 64])
    }

    func testAllChannelsCLAHEMatchesImgaug() throws {
        let aug = AllChannelsCLAHE(clipLimit: .constant(2), tileGridSizePx: .perAxis(height: .constant(2), width: .constant(3)))
        XCTAssertEqual(try DAC.run(aug, DAC.image(4, 2, 4, CLAHETests.rgba)).bytes!,
                       [255, 128, 255, 128, 128, 255, 128, 255, 192, 192, 192, 192, 128, 128, 255, 255,
                        128, 128, 255, 192, 192, 255, 128, 255, 64, 223, 255, 255, 128, 128, 64, 64])
        // A 1×1 grid (tile_grid_size_px_min lowered) leaves the image as it is.
        let one = AllChannelsCLAHE(clipLimit: .constant(2), tileGridSizePx: .both(.constant(1)), tileGridSizePxMin: 1)
        let g = DAC.image(5, 3, 1, CLAHETests.gray)
        XCTAssertEqual(try DAC.run(one, g), g)
        // The minimum raises small draws: 1 becomes 3.
        let raised = AllChannelsCLAHE(clipLimit: .constant(2), tileGridSizePx: .both(.constant(1)))
        XCTAssertEqual(try DAC.run(raised, g).bytes!, [64, 255, 128, 64, 96, 191, 128, 160, 255, 128, 223, 32, 160, 64, 96])
    }

    func testPerChannel() throws {
        // per_channel draws one clip limit per channel; the same image in every
        // channel then gives channels that match their own single-channel runs.
        let img = DAC.image(9, 7, 3, CLAHETests.in8.flatMap { [$0, $0, $0] })
        var ctx = DAC.context()
        // 4×3-pixel tiles (the 9×7 image is padded to 12×9): clip limits up to
        // 300 give per-tile limits 1...14.
        let aug = AllChannelsCLAHE(clipLimit: .range(1, 300), tileGridSizePx: .both(.constant(3)), perChannel: .constant(1))
        let out = try aug.augment(img, &ctx).bytes!
        let channels = (0..<3).map { c in stride(from: c, to: out.count, by: 3).map { out[$0] } }
        XCTAssertFalse(channels[0] == channels[1] && channels[1] == channels[2])
        let same = AllChannelsCLAHE(clipLimit: .range(1, 300), tileGridSizePx: .both(.constant(3)))
        let out2 = try DAC.run(same, img).bytes!
        for i in 0..<(9 * 7) {
            let r = out2[3 * i], g = out2[3 * i + 1], b = out2[3 * i + 2]
            XCTAssertTrue(r == g && g == b)
        }
    }

    func test16Bit() throws {
        let aug = CLAHE(clipLimit: .constant(2), tileGridSizePx: .both(.constant(3)))
        // Colour goes through 8 bits and is widened back.
        let rgba = DAC.image(4, 2, 4, CLAHETests.rgba)
        XCTAssertEqual(try DAC.run(aug, rgba.to16Bit()), try DAC.run(aug, rgba).to16Bit())
        // Gray keeps 16 bits (65536 bins), close to the 8-bit result.
        let g = DAC.image(5, 3, 1, CLAHETests.gray)
        let out = try DAC.run(aug, g.to16Bit())
        XCTAssertEqual(out.bitDepth, 16)
        XCTAssertEqual(try DAC.run(AllChannelsCLAHE(clipLimit: .constant(2), tileGridSizePx: .both(.constant(3))), g.to16Bit()), out)
        let empty = Image(width: 0, height: 0, channels: 3, bytes: [])
        XCTAssertEqual(try DAC.run(aug, empty), empty)
        XCTAssertEqual(try DAC.run(AllChannelsCLAHE(), empty), empty)
    }

    // MARK: pipeline files

    func testPipeline() throws {
        let c = try DAC.only("- CLAHE", as: CLAHE.self)
        XCTAssertEqual(c.clipLimit, .range(0.1, 8))
        XCTAssertEqual(c.tileGridSizePx, .both(.range(3, 12)))
        XCTAssertEqual(c.tileGridSizePxMin, 3)
        XCTAssertEqual(c.toColorspace, "Lab")
        let a = try DAC.only("- AllChannelsCLAHE: {tile_grid_size_px: [[4, 4], [6, 8]], per_channel: true}", as: AllChannelsCLAHE.self)
        XCTAssertEqual(a.tileGridSizePx, .perAxis(height: .range(4, 4), width: .range(6, 8)))
        XCTAssertEqual(a.perChannel, .constant(1))
        DAC.assertPipelineError("- CLAHE: {clip_limit: 0}", key: "clip_limit")
        DAC.assertPipelineError("- CLAHE: {tile_grid_size_px: -1}", key: "tile_grid_size_px")
        DAC.assertPipelineError("- AllChannelsCLAHE: {tile_grid_size_px: 1000}", key: "tile_grid_size_px")
        DAC.assertPipelineError("- CLAHE: {to_colorspace: YCrCb}", key: "to_colorspace")
        try DAC.assertRoundTrip("""
        - CLAHE: {clip_limit: 2, tile_grid_size_px: [[4, 4], [6, 6]], to_colorspace: HSV, from_colorspace: BGR}
        - AllChannelsCLAHE: {clip_limit: [1, 4], tile_grid_size_px: {choice: [3, 5]}, tile_grid_size_px_min: 2, per_channel: 0.5}
        """)
    }
}
