import MedAugImage

/// scipy.ndimage.map_coordinates on one float plane, the way
/// skimage.transform.warp calls it: coordinates in double, B-spline orders
/// 0...5, the spline prefilter (`spline_filter` after scipy's 12-sample pre-pad)
/// for orders above 1, and scikit-image's numpy.pad mode names translated to
/// ndimage's (constant → grid-constant, edge → nearest, symmetric → reflect,
/// reflect → mirror, wrap → grid-wrap).
///
/// This is not ``ElasticKernel/remap(_:dx:dy:order:mode:cval:)``: that one is
/// cv2.remap (positions rounded to 1/32 pixel, fixed-point weights), which is
/// what imgaug's elastic path calls; scikit-image's warp interpolates in
/// double at the exact position and would differ by up to a grey level.
///
/// Checked against scipy 1.11 to 1e-9 for every order and mode but
/// symmetric (ndimage's reflect) with orders 2 to 5, where scipy's prefilter
/// starts the recursion slightly differently: up to 0.08 grey levels near the
/// border on a 5x4 plane, almost never a change after rounding.
enum SplineRemap {
    /// scipy pads by this many samples before prefiltering in the modes whose
    /// spline filter boundary does not match their extension (nearest and
    /// grid-constant), so that the filter's start-up error stays far from the image.
    static let prePad = 12

    /// The poles of the order-n B-spline's inverse filter (scipy's `get_filter_poles`).
    static func poles(order: Int) -> [Double] {
        switch order {
        case 2: return [(8.0).squareRoot() - 3]
        case 3: return [(3.0).squareRoot() - 2]
        case 4:
            let r = (438976.0).squareRoot(), s = (304.0).squareRoot()
            return [(664 - r).squareRoot() + s - 19, (664 + r).squareRoot() - s - 19]
        case 5:
            let r = (4436.25).squareRoot(), s = (26.25).squareRoot()
            return [(67.5 - r).squareRoot() + s - 6.5, (67.5 + r).squareRoot() - s - 6.5]
        default: return []
        }
    }

    /// Which of scipy's two boundary initialisations a mode's prefilter uses
    /// (grid-wrap has a third, periodic one).
    private enum FilterBoundary { case mirror, reflect, wrap }

    private static func filterBoundary(_ mode: BorderMode) -> FilterBoundary {
        switch mode {
        case .constant, .reflect: return .mirror   // grid-constant and mirror
        case .edge, .symmetric: return .reflect   // nearest and reflect
        case .wrap: return .wrap                  // grid-wrap
        }
    }

    /// Turns `c` (n samples, `stride` apart) into B-spline coefficients in place:
    /// the gain, then a causal and an anti-causal pass per pole.
    private static func filter1D(_ c: UnsafeMutablePointer<Double>, _ n: Int, _ stride: Int, poles: [Double],
                                 boundary: FilterBoundary) {
        if n < 2 { return }
        var gain = 1.0
        for z in poles { gain *= (1 - z) * (1 - 1 / z) }
        for i in 0..<n { c[i * stride] *= gain }
        @inline(__always) func at(_ i: Int) -> Double { c[i * stride] }
        @inline(__always) func set(_ i: Int, _ v: Double) { c[i * stride] = v }
        for z in poles {
            switch boundary {
            case .mirror:
                let zn1 = power(z, n - 1)
                var c0 = at(0) + zn1 * at(n - 1), zi = z
                if n > 2 {
                    for i in 1..<(n - 1) {
                        c0 += zi * (at(i) + zn1 * at(n - 1 - i))
                        zi *= z
                    }
                }
                set(0, c0 / (1 - zn1 * zn1))
            case .reflect:
                let zn = power(z, n), first = at(0)
                var c0 = at(0) + zn * at(n - 1), zi = z
                for i in 1..<n {
                    c0 += zi * (at(i) + zn * at(n - 1 - i))
                    zi *= z
                }
                set(0, c0 * z / (1 - zn * zn) + first)
            case .wrap:
                var c0 = at(0), zi = z
                for i in 1..<n {
                    c0 += zi * at(n - i)
                    zi *= z
                }
                set(0, c0 / (1 - zi))
            }
            for i in 1..<n { set(i, at(i) + z * at(i - 1)) }
            switch boundary {
            case .mirror: set(n - 1, (z * at(n - 2) + at(n - 1)) * z / (z * z - 1))
            case .reflect: set(n - 1, at(n - 1) * z / (z - 1))
            case .wrap:
                var cl = at(n - 1), zi = z
                for i in 0..<(n - 1) {
                    cl += zi * at(i)
                    zi *= z
                }
                set(n - 1, cl * z / (zi - 1))
            }
            var i = n - 2
            while i >= 0 {
                set(i, z * (at(i + 1) - at(i)))
                i -= 1
            }
        }
    }

    /// x to a whole power n >= 0, by squaring (the module does without Foundation's pow).
    static func power(_ x: Double, _ n: Int) -> Double {
        var result = 1.0, base = x, e = n
        while e > 0 {
            if e & 1 == 1 { result *= base }
            base *= base
            e >>= 1
        }
        return result
    }

    /// The centred B-spline of degree n at x (the truncated-power sum).
    static func bspline(_ n: Int, _ x: Double) -> Double {
        var sum = 0.0, binom = 1.0, factorial = 1.0
        for k in 1...max(n, 1) { factorial *= Double(k) }
        let shift = Double(n + 1) / 2
        for j in 0...(n + 1) {
            let t = x + shift - Double(j)
            if t > 0 { sum += (j % 2 == 0 ? 1 : -1) * binom * power(t, n) }
            binom = binom * Double(n + 1 - j) / Double(j + 1)
        }
        return sum / factorial
    }

    /// The first tap and the order+1 weights for position `cc` (scipy's choice
    /// of start: floor for odd orders, round half up for even ones).
    @inline(__always)
    static func taps(_ cc: Double, order: Int, weights w: inout [Double]) -> Int {
        let start: Int
        switch order {
        case 0:
            start = Int((cc + 0.5).rounded(.down))
            w[0] = 1
        case 1:
            start = Int(cc.rounded(.down))
            let t = cc - Double(start)
            w[0] = 1 - t; w[1] = t
        case 3:
            start = Int(cc.rounded(.down)) - 1
            let t = cc - Double(start + 1), u = 1 - t
            w[0] = u * u * u / 6
            w[1] = (4 - 6 * t * t + 3 * t * t * t) / 6
            w[2] = (1 + 3 * t + 3 * t * t - 3 * t * t * t) / 6
            w[3] = t * t * t / 6
        default:
            start = (order % 2 == 1 ? Int(cc.rounded(.down)) : Int((cc + 0.5).rounded(.down))) - order / 2
            for k in 0...order { w[k] = bspline(order, cc - Double(start + k)) }
        }
        return start
    }

    /// Positions further out than this are treated as outside every mode's
    /// reach; it keeps `Int(...)` from trapping on absurd coordinates.
    static let farAway = 1e8

    /// scipy's `map_coordinate`: nearest clamps the position to the (padded)
    /// plane. The mirrored and periodic modes fold it back there, which gives
    /// what their taps give when they extend the plane the same way, so they
    /// are left to ``BorderMode/index(_:_:)``; grid-constant is not moved.
    @inline(__always)
    private static func fold(_ cc: Double, _ n: Int, _ mode: BorderMode) -> Double {
        switch mode {
        case .edge: return min(max(cc, 0), Double(n - 1))
        default: return cc
        }
    }

    /// Samples `plane` (width × height, row-major) at (xs[i], ys[i]) for every
    /// output position; positions that are NaN, infinite or absurdly far lie
    /// outside (cval in constant mode, the border's extension otherwise, as
    /// scikit-image's -1 marker does).
    static func sample(plane: [Double], width: Int, height: Int, xs: [Double], ys: [Double], order: Int,
                       mode: BorderMode, cval: Double) -> [Double] {
        sample(planes: [plane], width: width, height: height, xs: xs, ys: ys, order: order, mode: mode, cval: cval)[0]
    }

    /// ``sample(plane:width:height:xs:ys:order:mode:cval:)`` for several planes
    /// of the same size, working out each position's taps and weights once.
    static func sample(planes: [[Double]], width: Int, height: Int, xs: [Double], ys: [Double], order: Int,
                       mode: BorderMode, cval: Double) -> [[Double]] {
        var coeffs = planes, w = width, h = height, offset = 0.0
        if order > 1 {
            let pad = (mode == .constant || mode == .edge) ? prePad : 0
            if pad > 0 {
                coeffs = planes.map { padded($0, width: width, height: height, pad: pad, mode: mode, cval: cval) }
                w += 2 * pad; h += 2 * pad; offset = Double(pad)
            }
            let ps = poles(order: order), boundary = filterBoundary(mode)
            for p in coeffs.indices {
                coeffs[p].withUnsafeMutableBufferPointer { c in
                    let base = c.baseAddress!
                    for y in 0..<h { filter1D(base + y * w, w, 1, poles: ps, boundary: boundary) }
                    for x in 0..<w { filter1D(base + x, h, w, poles: ps, boundary: boundary) }
                }
            }
        }
        // One flat buffer of planes, so that the loop below runs on raw pointers.
        let size = w * h, count = coeffs.count, n = xs.count
        let flat = coeffs.flatMap { $0 }
        var result = [Double](repeating: 0, count: count * n)
        var wx = [Double](repeating: 0, count: order + 1), wy = wx
        var ix = [Int](repeating: 0, count: order + 1), iy = ix
        flat.withUnsafeBufferPointer { cb in
            result.withUnsafeMutableBufferPointer { ob in
                for i in 0..<n {
                    var cx = xs[i] + offset, cy = ys[i] + offset
                    if !(abs(cx) < farAway) { cx = -farAway }
                    if !(abs(cy) < farAway) { cy = -farAway }
                    cx = fold(cx, w, mode); cy = fold(cy, h, mode)
                    let sx = taps(cx, order: order, weights: &wx), sy = taps(cy, order: order, weights: &wy)
                    // Inside, the taps are consecutive samples; only the border asks the mode.
                    let inside = sx >= 0 && sy >= 0 && sx + order < w && sy + order < h
                    if !inside {
                        for k in 0...order {
                            ix[k] = mode.index(sx + k, w) ?? -1
                            iy[k] = mode.index(sy + k, h) ?? -1
                        }
                    }
                    for p in 0..<count {
                        let c = cb.baseAddress! + p * size
                        var sum = 0.0
                        for j in 0...order {
                            var row = 0.0
                            if inside {
                                let r = c + (sy + j) * w + sx
                                for k in 0...order { row += wx[k] * r[k] }
                            } else if iy[j] >= 0 {
                                let r = c + iy[j] * w
                                for k in 0...order { row += wx[k] * (ix[k] >= 0 ? r[ix[k]] : cval) }
                            } else {
                                for k in 0...order { row += wx[k] * cval }
                            }
                            sum += wy[j] * row
                        }
                        ob[p * n + i] = sum
                    }
                }
            }
        }
        let outs = (0..<count).map { Array(result[($0 * n)..<(($0 + 1) * n)]) }
        return outs
    }

    /// Orders 0 and 1 for all channels at once (`src` interleaved, `cn` per
    /// pixel): the same taps and weights as ``sample(plane:width:height:xs:ys:order:mode:cval:)``,
    /// with the tap positions and weights worked out once per pixel instead of
    /// once per channel, and the border modes consulted only at the border.
    static func sampleLowOrder(_ src: [Double], channels cn: Int, width w: Int, height h: Int, xs: [Double],
                               ys: [Double], order: Int, mode: BorderMode, cval: Double) -> [Double] {
        precondition(order <= 1, "orders 0 and 1 only")
        var out = [Double](repeating: 0, count: xs.count * cn)
        src.withUnsafeBufferPointer { s in
            out.withUnsafeMutableBufferPointer { o in
                for i in 0..<xs.count {
                    var cx = xs[i], cy = ys[i]
                    if !(abs(cx) < farAway) { cx = -farAway }
                    if !(abs(cy) < farAway) { cy = -farAway }
                    cx = fold(cx, w, mode); cy = fold(cy, h, mode)
                    let dst = i * cn
                    if order == 0 {
                        let ix = mode.index(Int((cx + 0.5).rounded(.down)), w), iy = mode.index(Int((cy + 0.5).rounded(.down)), h)
                        if let ix, let iy {
                            let p = (iy * w + ix) * cn
                            for k in 0..<cn { o[dst + k] = s[p + k] }
                        } else {
                            for k in 0..<cn { o[dst + k] = cval }
                        }
                        continue
                    }
                    let x0 = Int(cx.rounded(.down)), y0 = Int(cy.rounded(.down))
                    let tx = cx - Double(x0), ty = cy - Double(y0)
                    let wx0 = 1 - tx, wy0 = 1 - ty
                    if x0 >= 0, y0 >= 0, x0 + 1 < w, y0 + 1 < h {
                        let p = (y0 * w + x0) * cn, q = p + w * cn
                        for k in 0..<cn {
                            let top = wx0 * s[p + k] + tx * s[p + cn + k]
                            let bottom = wx0 * s[q + k] + tx * s[q + cn + k]
                            o[dst + k] = wy0 * top + ty * bottom
                        }
                    } else {
                        let ix0 = mode.index(x0, w), ix1 = mode.index(x0 + 1, w)
                        let iy0 = mode.index(y0, h), iy1 = mode.index(y0 + 1, h)
                        @inline(__always) func at(_ iy: Int?, _ ix: Int?, _ k: Int) -> Double {
                            guard let iy, let ix else { return cval }
                            return s[(iy * w + ix) * cn + k]
                        }
                        for k in 0..<cn {
                            let top = wx0 * at(iy0, ix0, k) + tx * at(iy0, ix1, k)
                            let bottom = wx0 * at(iy1, ix0, k) + tx * at(iy1, ix1, k)
                            o[dst + k] = wy0 * top + ty * bottom
                        }
                    }
                }
            }
        }
        return out
    }

    /// The plane with `pad` samples added on every side, filled as numpy.pad
    /// does for scipy's pre-pad: cval for constant, the edge sample for edge.
    private static func padded(_ plane: [Double], width: Int, height: Int, pad: Int, mode: BorderMode,
                               cval: Double) -> [Double] {
        let pw = width + 2 * pad, ph = height + 2 * pad
        var out = [Double](repeating: cval, count: pw * ph)
        for y in 0..<ph {
            for x in 0..<pw {
                if let sx = mode.index(x - pad, width), let sy = mode.index(y - pad, height) {
                    out[y * pw + x] = plane[sy * width + sx]
                }
            }
        }
        return out
    }
}
