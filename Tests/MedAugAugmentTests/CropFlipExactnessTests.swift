import MedAugCore
import XCTest
import MedAugImage
@testable import MedAugAugment

/// The faster crop copy, pad side copy and aligned-store row mirroring give
/// the same samples as the code they replaced (copied below as references),
/// at edges, odd sizes, 1-4 channels and both bit depths.
final class CropFlipExactnessTests: XCTestCase {
    // MARK: references (the implementations before the change, verbatim)

    static func cropSamplesReference<T>(_ a: [T], _ image: Image, _ top: Int, _ left: Int, _ w: Int, _ h: Int) -> [T] {
        let cn = image.channels, rowLen = image.width * cn
        var out: [T] = []
        out.reserveCapacity(w * h * cn)
        for y in 0..<h {
            let start = (top + y) * rowLen + left * cn
            out.append(contentsOf: a[start..<(start + w * cn)])
        }
        return out
    }

    static func padByIndexReference<T: FixedWidthInteger>(_ a: [T], _ p: Padding.PadSpec, xmap: [Int?], ymap: [Int?], _ cval: T) -> [T] {
        let cn = p.cn, rowLen = p.ow * cn, srcLen = p.w * cn
        var out = [T](repeating: cval, count: p.ow * p.oh * cn)
        let sides = (0..<p.ow).filter { $0 < p.left || $0 >= p.left + p.w }
        a.withUnsafeBufferPointer { sb in
            out.withUnsafeMutableBufferPointer { db in
                guard let s = sb.baseAddress, let d = db.baseAddress else { return }
                for y in 0..<p.oh {
                    guard let sy = ymap[y] else { continue }
                    let srow = s + sy * srcLen, drow = d + y * rowLen
                    (drow + p.left * cn).update(from: srow, count: srcLen)
                    for x in sides {
                        guard let sx = xmap[x] else { continue }
                        for k in 0..<cn { drow[x * cn + k] = srow[sx * cn + k] }
                    }
                }
            }
        }
        return out
    }

    /// The flip's meaning, pixel by pixel, on raw bytes of `e`-byte pixels.
    static func mirrorReference(_ s: [UInt8], width w: Int, height h: Int, pixelBytes e: Int) -> [UInt8] {
        var out = s
        for y in 0..<h {
            for x in 0..<w {
                for k in 0..<e { out[(y * w + x) * e + k] = s[(y * w + (w - 1 - x)) * e + k] }
            }
        }
        return out
    }

    // MARK: helpers

    static func image(_ rng: inout Xoshiro256, width w: Int, height h: Int, channels c: Int, wide: Bool) -> Image {
        let n = w * h * c
        return wide
            ? Image(width: w, height: h, channels: c, samples16: (0..<n).map { _ in UInt16(truncatingIfNeeded: rng.next()) })
            : Image(width: w, height: h, channels: c, bytes: (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
    }

    static let shapes = [(1, 1), (1, 5), (5, 1), (2, 3), (7, 9), (17, 16), (31, 5), (33, 7), (64, 3), (101, 13)]

    // MARK: crop

    func testCropMatchesReferenceAtEdgesAndInside() {
        var rng = Xoshiro256(seed: 7)
        for c in 1...4 {
            for wide in [false, true] {
                for (w, h) in Self.shapes {
                    let img = Self.image(&rng, width: w, height: h, channels: c, wide: wide)
                    var windows: Set<[Int]> = [[0, 0, w, h], [0, 0, 1, 1], [w - 1, h - 1, 1, 1], [0, h - 1, w, 1], [w - 1, 0, 1, h]]
                    for _ in 0..<8 {
                        let x = Int(rng.next() % UInt64(w)), y = Int(rng.next() % UInt64(h))
                        windows.insert([x, y, 1 + Int(rng.next() % UInt64(w - x)), 1 + Int(rng.next() % UInt64(h - y))])
                    }
                    for win in windows {
                        let (x, y, cw, ch) = (win[0], win[1], win[2], win[3])
                        let got = Padding.crop(img, top: y, right: w - x - cw, bottom: h - y - ch, left: x)
                        let expected: Image.Pixels
                        switch img.pixels {
                        case .u8(let a): expected = .u8(Self.cropSamplesReference(a, img, y, x, cw, ch))
                        case .u16(let a): expected = .u16(Self.cropSamplesReference(a, img, y, x, cw, ch))
                        }
                        XCTAssertEqual(got, Image(width: cw, height: ch, channels: c, pixels: expected),
                                       "\(w)x\(h)x\(c) 16-bit=\(wide) window \(win)")
                    }
                }
            }
        }
    }

    /// The amounts that leave nothing, as a crop to an empty side would.
    func testCropToNothingMatchesReference() {
        let img = Image(width: 4, height: 3, channels: 2, bytes: (0..<24).map(UInt8.init))
        let got = Padding.crop(img, top: 3, right: 0, bottom: 0, left: 0)
        guard case .u8(let a) = img.pixels else { return XCTFail() }
        XCTAssertEqual(got.pixels, .u8(Self.cropSamplesReference(a, img, 3, 0, 4, 0)))
        XCTAssertEqual(got.width, 4)
        XCTAssertEqual(got.height, 0)
    }

    // MARK: pad

    func testPadByIndexMatchesReferenceInEveryIndexMode() {
        var rng = Xoshiro256(seed: 11)
        for c in 1...4 {
            for wide in [false, true] {
                for (w, h) in Self.shapes {
                    let img = Self.image(&rng, width: w, height: h, channels: c, wide: wide)
                    for mode in [PadMode.constant, .edge, .reflect, .symmetric, .wrap] {
                        for amounts in [[0, 1, 0, 0], [2, 0, 3, 1], [0, 0, 0, 5], [9, 13, 7, 20]] {
                            let p = Padding.PadSpec(w: w, h: h, cn: c, top: amounts[0], left: amounts[3],
                                                    ow: w + amounts[1] + amounts[3], oh: h + amounts[0] + amounts[2])
                            let xmap: [Int?], ymap: [Int?]
                            if let border = mode.borderMode {
                                xmap = (0..<p.ow).map { border.index($0 - p.left, p.w) }
                                ymap = (0..<p.oh).map { border.index($0 - p.top, p.h) }
                            } else {
                                xmap = Padding.numpyWrapMap(n: p.w, before: p.left, after: p.ow - p.w - p.left)
                                ymap = Padding.numpyWrapMap(n: p.h, before: p.top, after: p.oh - p.h - p.top)
                            }
                            let got = Padding.pad(img, top: amounts[0], right: amounts[1], bottom: amounts[2], left: amounts[3],
                                                  mode: mode, cval: 77)
                            let expected: Image.Pixels
                            switch img.pixels {
                            case .u8(let a): expected = .u8(Self.padByIndexReference(a, p, xmap: xmap, ymap: ymap, 77))
                            case .u16(let a): expected = .u16(Self.padByIndexReference(a, p, xmap: xmap, ymap: ymap, 77))
                            }
                            XCTAssertEqual(got.pixels, expected, "\(w)x\(h)x\(c) 16-bit=\(wide) \(mode) \(amounts)")
                        }
                    }
                }
            }
        }
    }

    // MARK: flip

    /// Odd widths put each row at a different alignment; the offsets move the
    /// whole buffer off any alignment, as Rot90's calls on single rows do.
    func testRowMirrorMatchesReferenceAtEveryAlignment() {
        var rng = Xoshiro256(seed: 3)
        for e in [1, 2, 3, 4, 5, 6, 8] {
            for (w, h) in Self.shapes + [(15, 4), (16, 4), (32, 3), (47, 5), (500, 3)] {
                let src = (0..<(w * h * e + 16)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
                for (so, dof) in [(0, 0), (1, 3), (5, 0), (0, 7), (e, e)] {
                    let input = Array(src[so..<(so + w * h * e)])
                    var out = [UInt8](repeating: 0xA5, count: w * h * e + 16)
                    src.withUnsafeBytes { s in
                        out.withUnsafeMutableBytes { d in
                            FlipRows.horizontal(s.baseAddress! + so, d.baseAddress! + dof, width: w, height: h, pixelBytes: e)
                        }
                    }
                    XCTAssertEqual(Array(out[dof..<(dof + w * h * e)]), Self.mirrorReference(input, width: w, height: h, pixelBytes: e),
                                   "\(w)x\(h), \(e)-byte pixels, offsets \(so) \(dof)")
                    XCTAssertTrue(out[..<dof].allSatisfy { $0 == 0xA5 } && out[(dof + w * h * e)...].allSatisfy { $0 == 0xA5 },
                                  "wrote outside the rows: \(w)x\(h), \(e)-byte pixels, offsets \(so) \(dof)")
                }
            }
        }
    }

    func testHorizontalFlipOfMapsMatchesReference() {
        var rng = Xoshiro256(seed: 5)
        for c in 1...4 {
            for wide in [false, true] {
                for (w, h) in Self.shapes + [(224, 224), (500, 375)] {
                    let img = Self.image(&rng, width: w, height: h, channels: c, wide: wide)
                    let e = c * (wide ? 2 : 1)
                    let bytes: [UInt8]
                    switch img.pixels {
                    case .u8(let a): bytes = a
                    case .u16(let a): bytes = a.withUnsafeBytes { Array($0) }
                    }
                    let flipped = FlipKernel.horizontal(img)
                    let got: [UInt8]
                    switch flipped.pixels {
                    case .u8(let a): got = a
                    case .u16(let a): got = a.withUnsafeBytes { Array($0) }
                    }
                    XCTAssertEqual(got, Self.mirrorReference(bytes, width: w, height: h, pixelBytes: e), "\(w)x\(h)x\(c) 16-bit=\(wide)")
                }
            }
        }
    }
}
