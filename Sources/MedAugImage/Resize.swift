/// How `Image.resized` fills in pixels: OpenCV's INTER_NEAREST, INTER_LINEAR,
/// INTER_AREA and INTER_CUBIC (imgaug's "nearest", "linear", "area", "cubic").
public enum Interpolation: String, Sendable, CaseIterable {
    /// `nearest`: nearest neighbour; `linear`: bilinear; `area`: pixel-area
    /// averaging (best for shrinking); `cubic`: bicubic over 4x4 neighbours.
    case nearest, linear, area, cubic

    /// imgaug's rule when no interpolation is given: INTER_AREA when the target
    /// is larger than the source in either dimension, else INTER_LINEAR. (The
    /// opposite of the usual habit, and what the study's images got.)
    public static func imgaugDefault(fromWidth: Int, fromHeight: Int, toWidth: Int, toHeight: Int) -> Interpolation {
        (toHeight > fromHeight || toWidth > fromWidth) ? .area : .linear
    }
}

extension Image {
    /// The image resized as OpenCV 4.7's `cv2.resize` does it, including its
    /// 8-bit fixed-point arithmetic, so results agree with imgaug's resizes.
    /// The same size returns the image unchanged (imgaug returns a copy); an
    /// empty source or target gives a black image of the target size.
    public func resized(width dw: Int, height dh: Int, interpolation: Interpolation) -> Image {
        precondition(dw >= 0 && dh >= 0, "negative target size")
        if dw == width && dh == height { return self }
        if dw == 0 || dh == 0 || width == 0 || height == 0 {
            switch pixels {
            case .u8: return Image(width: dw, height: dh, channels: channels, pixels: .u8([UInt8](repeating: 0, count: dw * dh * channels)))
            case .u16: return Image(width: dw, height: dh, channels: channels, pixels: .u16([UInt16](repeating: 0, count: dw * dh * channels)))
            }
        }
        let g = ResizeGeometry(sw: width, sh: height, dw: dw, dh: dh, cn: channels)
        switch pixels {
        case .u8(let a):
            return Image(width: dw, height: dh, channels: channels, pixels: .u8(CVResize.resize8(a, g, interpolation)))
        case .u16(let a):
            return Image(width: dw, height: dh, channels: channels, pixels: .u16(CVResize.resize16(a, g, interpolation)))
        }
    }
}

/// Source and target sizes with OpenCV's derived scales (all in double, as cv::resize computes them).
struct ResizeGeometry {
    let sw, sh, dw, dh, cn: Int
    /// dst/src, OpenCV's inv_scale.
    let invScaleX, invScaleY: Double
    /// 1/inv_scale, OpenCV's scale (src pixels per dst pixel).
    let scaleX, scaleY: Double

    init(sw: Int, sh: Int, dw: Int, dh: Int, cn: Int) {
        self.sw = sw; self.sh = sh; self.dw = dw; self.dh = dh; self.cn = cn
        invScaleX = Double(dw) / Double(sw)
        invScaleY = Double(dh) / Double(sh)
        scaleX = 1.0 / invScaleX
        scaleY = 1.0 / invScaleY
    }

    /// OpenCV's `is_area_fast`: both scales are integers (to DBL_EPSILON).
    var areaFastScales: (Int, Int)? {
        let ix = Int(scaleX.rounded(.toNearestOrEven)), iy = Int(scaleY.rounded(.toNearestOrEven))
        if abs(scaleX - Double(ix)) < Double.ulpOfOne && abs(scaleY - Double(iy)) < Double.ulpOfOne { return (ix, iy) }
        return nil
    }
}

enum CVResize {
    static func resize8(_ src: [UInt8], _ g: ResizeGeometry, _ interpolation: Interpolation) -> [UInt8] {
        switch route(g, interpolation) {
        case .nearest: return nearest(src, g)
        case .areaFast(let ix, let iy): return areaFast8(src, g, ix, iy)
        case .area: return area(src, g, maxValue: 255)
        case .linear(let areaMode): return linear8(src, g, areaMode: areaMode)
        case .cubic: return cubic8(src, g)
        }
    }

    static func resize16(_ src: [UInt16], _ g: ResizeGeometry, _ interpolation: Interpolation) -> [UInt16] {
        switch route(g, interpolation) {
        case .nearest: return nearest(src, g)
        case .areaFast(let ix, let iy): return areaFast16(src, g, ix, iy)
        case .area: return area(src, g, maxValue: 65535)
        case .linear(let areaMode): return linearFloat(src, g, areaMode: areaMode)
        case .cubic: return cubicFloat(src, g)
        }
    }

    enum Route { case nearest, areaFast(Int, Int), area, linear(areaMode: Bool), cubic }

    /// OpenCV's choice of code path: a 2x integer linear shrink is done by area
    /// averaging; true area averaging only shrinks (in both axes), and INTER_AREA
    /// otherwise becomes a bilinear variant with its own coefficients.
    static func route(_ g: ResizeGeometry, _ interpolation: Interpolation) -> Route {
        switch interpolation {
        case .nearest: return .nearest
        case .cubic: return .cubic
        case .linear:
            if let (ix, iy) = g.areaFastScales, ix == 2, iy == 2 { return .areaFast(2, 2) }
            return .linear(areaMode: false)
        case .area:
            if g.scaleX >= 1 && g.scaleY >= 1 {
                if let (ix, iy) = g.areaFastScales { return .areaFast(ix, iy) }
                return .area
            }
            return .linear(areaMode: true)
        }
    }
}
