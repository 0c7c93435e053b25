import MedAugImage

/// OpenCV 4.7's CLAHE (`cv2.createCLAHE(clipLimit, tileGridSize).apply`) on
/// one channel of interleaved 8-bit (256 bins) or 16-bit (65536 bins)
/// samples, step for step:
///
/// - the image is split into `tilesX × tilesY` tiles; unless both sides are
///   multiples of the grid it is first padded at the bottom by
///   `tilesY - height % tilesY` rows and at the right by
///   `tilesX - width % tilesX` columns (BORDER_REFLECT_101), so a side that is
///   already a multiple still grows by one grid step;
/// - each tile's histogram is clipped at `max(Int(clipLimit * tileArea / bins), 1)`
///   (no clipping when `clipLimit <= 0`), the clipped count is spread evenly
///   over all bins and the remainder one by one every `bins / remainder` bins;
/// - each tile's table is `saturate(round(cdf(v) * ((bins - 1) / tileArea)))` in float32;
/// - every pixel is interpolated bilinearly between the tables of the four
///   nearest tile centres, with OpenCV's float32 arithmetic
///   (`x * (1 / tileWidth) - 0.5`, floored, clamped to the grid), and rounded
///   half to even.
public enum CLAHEKernel {
    /// OpenCV's `borderInterpolate` for BORDER_REFLECT_101 (`gfedcb|abcdefgh|gfedcba`), any distance.
    @inline(__always)
    static func reflect101(_ p: Int, _ len: Int) -> Int {
        if len == 1 { return 0 }
        var p = p
        while p < 0 || p >= len {
            p = p < 0 ? -p : 2 * len - 2 - p
        }
        return p
    }

    /// The tile table of a histogram of `area` samples: clipped, redistributed and accumulated.
    static func tileTable(histogram hist: UnsafeMutableBufferPointer<Int>, area: Int, clipLimit: Int,
                          lutScale: Float, maxValue: Int, into lut: UnsafeMutablePointer<UInt16>) {
        let bins = hist.count
        if clipLimit > 0 {
            var clipped = 0
            for i in 0..<bins where hist[i] > clipLimit {
                clipped += hist[i] - clipLimit
                hist[i] = clipLimit
            }
            let batch = clipped / bins
            var residual = clipped - batch * bins
            for i in 0..<bins { hist[i] += batch }
            if residual != 0 {
                let step = max(bins / residual, 1)
                var i = 0
                while i < bins && residual > 0 {
                    hist[i] += 1
                    i += step
                    residual -= 1
                }
            }
        }
        var sum = 0
        for i in 0..<bins {
            sum += hist[i]
            lut[i] = UInt16(saturate(Float(sum) * lutScale, maxValue))
        }
    }

    /// OpenCV's `saturate_cast` from float: rounded half to even, clamped to 0...maxValue.
    @inline(__always)
    static func saturate(_ v: Float, _ maxValue: Int) -> Int {
        let r = v.rounded(.toNearestOrEven)
        if !(r > 0) { return 0 }
        return r >= Float(maxValue) ? maxValue : Int(r)
    }

    /// CLAHE on channel `channel` of `samples` (interleaved, `channels` per
    /// pixel, `bins` = 256 for 8-bit or 65536 for 16-bit values), in place.
    /// Tile counts below 1 are treated as 1.
    static func apply<T: FixedWidthInteger & UnsignedInteger>(
        _ samples: inout [T], width w: Int, height h: Int, channels: Int, channel: Int,
        clipLimit: Double, tilesX tx: Int, tilesY ty: Int, bins: Int
    ) {
        guard w > 0, h > 0 else { return }
        let tx = max(tx, 1), ty = max(ty, 1)
        let padded = !(w % tx == 0 && h % ty == 0)
        let pw = padded ? w + tx - w % tx : w
        let ph = padded ? h + ty - h % ty : h
        let tileW = pw / tx, tileH = ph / ty
        let area = tileW * tileH
        let lutScale = Float(bins - 1) / Float(area)
        var limit = 0
        if clipLimit > 0 {
            // A limit of `area` or more clips nothing; capping it keeps huge values from trapping in Int(...).
            limit = max(Int(min(clipLimit * Double(area) / Double(bins), Double(area))), 1)
        }
        let colMap = (0..<pw).map { reflect101($0, w) }
        let rowMap = (0..<ph).map { reflect101($0, h) }

        // Tile tables, row-major over the grid, `bins` entries each.
        var luts = [UInt16](repeating: 0, count: tx * ty * bins)
        var hist = [Int](repeating: 0, count: bins)
        samples.withUnsafeBufferPointer { p in
            colMap.withUnsafeBufferPointer { cols in
                hist.withUnsafeMutableBufferPointer { H in
                    for k in 0..<(tx * ty) {
                        let gy = k / tx, gx = k % tx
                        for i in 0..<bins { H[i] = 0 }
                        let x0 = gx * tileW, x1 = x0 + tileW
                        // Columns inside the image are read directly; only the padded
                        // right edge goes through the reflection map.
                        let inside = min(x1, w)
                        for yy in (gy * tileH)..<(gy * tileH + tileH) {
                            let row = rowMap[yy] * w
                            var xx = x0
                            while xx < inside {
                                H[Int(p[(row + xx) * channels + channel])] += 1
                                xx += 1
                            }
                            while xx < x1 {
                                H[Int(p[(row + cols[xx]) * channels + channel])] += 1
                                xx += 1
                            }
                        }
                        luts.withUnsafeMutableBufferPointer { out in
                            tileTable(histogram: H, area: area, clipLimit: limit, lutScale: lutScale,
                                      maxValue: bins - 1, into: out.baseAddress! + k * bins)
                        }
                    }
                }
            }
        }

        // Bilinear interpolation between the four nearest tile tables.
        let invTW: Float = 1 / Float(tileW)
        var ind1 = [Int](repeating: 0, count: w), ind2 = [Int](repeating: 0, count: w)
        var xa = [Float](repeating: 0, count: w), xa1 = [Float](repeating: 0, count: w)
        for x in 0..<w {
            let txf = Float(x) * invTW - 0.5
            let t1 = Int(txf.rounded(.down))
            xa[x] = txf - Float(t1)
            xa1[x] = 1 - xa[x]
            ind1[x] = max(t1, 0) * bins
            ind2[x] = min(t1 + 1, tx - 1) * bins
        }
        let invTH: Float = 1 / Float(tileH)
        let maxValue = bins - 1
        let top8 = Float(maxValue)
        luts.withUnsafeBufferPointer { L in
            samples.withUnsafeMutableBufferPointer { p in
                ind1.withUnsafeBufferPointer { I1 in
                    ind2.withUnsafeBufferPointer { I2 in
                        xa.withUnsafeBufferPointer { XA in
                            xa1.withUnsafeBufferPointer { XA1 in
                                for y in 0..<h {
                                    let tyf = Float(y) * invTH - 0.5
                                    let t1 = Int(tyf.rounded(.down))
                                    let ya = tyf - Float(t1), ya1 = 1 - ya
                                    let P1 = L.baseAddress! + max(t1, 0) * tx * bins
                                    let P2 = L.baseAddress! + min(t1 + 1, ty - 1) * tx * bins
                                    let rowBase = y * w
                                    // Eight pixels at a time: the table reads stay scalar, the
                                    // arithmetic is OpenCV's float32 sequence lane by lane
                                    // (same operations, same order), so results are unchanged.
                                    var x = 0
                                    while x < w {
                                        let i = (rowBase + x) * channels + channel
                                        let v = Int(p[i])
                                        let a = I1[x] + v, b = I2[x] + v
                                        let topRow = Float(P1[a]) * XA1[x] + Float(P1[b]) * XA[x]
                                        let bottomRow = Float(P2[a]) * XA1[x] + Float(P2[b]) * XA[x]
                                        // saturate_cast without branches: round half to even, clamp, convert.
                                        let r = min(max((topRow * ya1 + bottomRow * ya).rounded(.toNearestOrEven), 0), top8)
                                        p[i] = T(truncatingIfNeeded: Int32(r))
                                        x += 1
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// CLAHE on channel `channel` of an image at its own bit depth (256 or 65536 bins).
    public static func apply(_ image: Image, channel: Int, clipLimit: Double, tilesX: Int, tilesY: Int) -> Image {
        precondition(channel < image.channels)
        var out = image
        switch image.pixels {
        case .u8(var s):
            apply(&s, width: image.width, height: image.height, channels: image.channels, channel: channel,
                  clipLimit: clipLimit, tilesX: tilesX, tilesY: tilesY, bins: 256)
            out.pixels = .u8(s)
        case .u16(var s):
            apply(&s, width: image.width, height: image.height, channels: image.channels, channel: channel,
                  clipLimit: clipLimit, tilesX: tilesX, tilesY: tilesY, bins: 65536)
            out.pixels = .u16(s)
        }
        return out
    }
}
