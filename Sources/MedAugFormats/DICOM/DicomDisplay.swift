import Foundation
import MedAugCore
import MedAugImage

/// What the display pipeline did to one frame: recorded in `conversion.csv`.
public struct DisplayRecord: Sendable, Equatable {
    /// The window applied, as text: `40,400`, `voi-lut`, `auto 12,873`, `none`; empty for colour images.
    public var window: String
    /// Frames in the file, and the one used (0-based).
    public var frames: Int, frame: Int
    /// Modality (0008,0060), e.g. "CT", "CR", "MR"; empty when absent.
    public var modality: String
    /// Photometric Interpretation of the file.
    public var photometric: String
    /// Patient ID (0010,0020) in clear, or empty: callers hash it before it
    /// reaches any output.
    public var patientID: String
}

/// The DICOM grayscale display pipeline (PS3.3 C.11 and PS3.4 N.2), and
/// the colour conversions: stored values -> Modality LUT (rescale or table)
/// -> VOI (window or table) -> MONOCHROME1 inverted -> 8 or 16 bits.
///
/// Grayscale frames are mapped through one table indexed by stored value,
/// built once per frame: at most 65536 entries however large the image.
public enum DicomDisplay {
    /// Tags used here.
    enum Tag {
        static let modality: (UInt16, UInt16) = (0x0008, 0x0060)
        static let windowCenter: (UInt16, UInt16) = (0x0028, 0x1050)
        static let windowWidth: (UInt16, UInt16) = (0x0028, 0x1051)
        static let voiFunction: (UInt16, UInt16) = (0x0028, 0x1056)
        static let rescaleIntercept: (UInt16, UInt16) = (0x0028, 0x1052)
        static let rescaleSlope: (UInt16, UInt16) = (0x0028, 0x1053)
        static let modalityLUT: UInt32 = 0x0028_3000
        static let voiLUT: UInt32 = 0x0028_3010
    }

    /// Renders frame `frame` of `file` with `options` (window and bits).
    public static func render(_ file: DicomFile, frame: Int, options: ReadOptions) throws(ImageError) -> (Image, DisplayRecord) {
        let (values, pi) = try file.storedValues(frame: frame)
        var record = DisplayRecord(window: "", frames: file.frames, frame: frame,
                                   modality: file.string(Tag.modality.0, Tag.modality.1) ?? "",
                                   photometric: file.photometric,
                                   patientID: file.string(0x0010, 0x0020) ?? "")
        let bits = options.bits == 16 ? 16 : 8
        switch pi {
        case "MONOCHROME1", "MONOCHROME2":
            guard file.samplesPerPixel == 1 else {
                throw ImageError(.unsupported, path: file.path, reason: "\(pi) with \(file.samplesPerPixel) samples per pixel")
            }
            let (image, window) = try gray(file, values: values, inverted: pi == "MONOCHROME1", options: options)
            record.window = window
            return (image, record)
        case "PALETTE COLOR":
            guard file.samplesPerPixel == 1 else {
                throw ImageError(.corrupt, path: file.path, reason: "PALETTE COLOR with \(file.samplesPerPixel) samples per pixel (it needs 1)")
            }
            return (try palette(file, values: values, bits: bits), record)
        case "RGB", "YBR_RCT", "YBR_ICT", "YBR_FULL", "YBR_FULL_422":
            guard file.samplesPerPixel == 3, values.count == file.rows * file.columns * 3 else {
                throw ImageError(.corrupt, path: file.path, reason: "\(pi) with \(file.samplesPerPixel) samples per pixel (it needs 3)")
            }
            if pi.hasPrefix("YBR_FULL") {
                guard file.bitsStored <= 8 else {
                    throw ImageError(.unsupported, path: file.path, reason: "\(pi) with \(file.bitsStored) bits stored (only 8-bit YBR is converted)")
                }
                return (color(file, values: ybrFullToRGB(values), bits: bits, raw: false), record)
            }
            // JPEG 2000 decoders undo the RCT/ICT themselves: the samples are RGB.
            return (color(file, values: values, bits: bits, raw: options.window == .none), record)
        default:
            throw ImageError(.unsupported, path: file.path,
                             reason: "photometric interpretation '\(pi)' is not supported (MONOCHROME1/2, RGB, YBR_FULL(_422), YBR_RCT/ICT and PALETTE COLOR are)")
        }
    }

    /// The modality values (after the Modality LUT or rescale) of grayscale stored values.
    public static func modalityValues(_ file: DicomFile, values: [Int32]) throws(ImageError) -> [Double] {
        guard let lo = values.min(), let hi = values.max() else { return [] }
        let table = try modalityTable(file, lo: Int(lo), hi: Int(hi))
        return values.map { table[Int($0 - lo)] }
    }

    // MARK: - Grayscale

    static func gray(_ file: DicomFile, values: [Int32], inverted: Bool,
                     options: ReadOptions) throws(ImageError) -> (Image, String) {
        var lo = Int32.max, hi = Int32.min
        for v in values {
            lo = min(lo, v)
            hi = max(hi, v)
        }
        if values.isEmpty { lo = 0; hi = 0 }
        let outMax = options.bits == 16 ? 65535.0 : 255.0
        var table = [Double](repeating: 0, count: Int(hi) - Int(lo) + 1)
        var windowText = "none"

        if options.window == .none {
            // Stored values as they are: unsigned unchanged at 16 bits, signed offset by 2^15.
            let offset = file.isSigned ? (options.bits == 16 ? 32768.0 : Double(1 << (file.bitsStored - 1))) : 0
            let scale = options.bits == 16 ? 1.0 : 255.0 / Double((1 << min(file.bitsStored, 16)) - 1)
            for k in table.indices { table[k] = (Double(Int(lo) + k) + offset) * scale }
        } else {
            let modality = try modalityTable(file, lo: Int(lo), hi: Int(hi))
            var voi: (Double) -> Double
            switch options.window {
            case .explicit(let c, let w):
                voi = linear(center: c, width: w)
                windowText = "\(ConfigValue.format(c)),\(ConfigValue.format(w))"
            case .auto:
                let (c, w) = autoWindow(values: values, lo: lo, modality: modality)
                voi = linear(center: c, width: w)
                windowText = "auto \(ConfigValue.format(c.rounded())),\(ConfigValue.format(w.rounded()))"
            default:
                if var lut = try file.lookupTable(sequence: Tag.voiLUT) {
                    // The descriptor's first value is US or SS; a value past 32767 where the
                    // modality values go negative is a negative start (-1024 for CT).
                    if lut.firstMapped > 32767 && (modality.first ?? 0) < 0 { lut.firstMapped -= 65536 }
                    let maxValue = lut.maxValue
                    let table = lut
                    voi = { x in Double(table(Int(max(-1e9, min(1e9, x)).rounded(.down)))) / maxValue }
                    windowText = "voi-lut"
                } else if let c = file.numbers(Tag.windowCenter.0, Tag.windowCenter.1).first,
                          let w = file.numbers(Tag.windowWidth.0, Tag.windowWidth.1).first, w > 0 {
                    let function = (file.string(Tag.voiFunction.0, Tag.voiFunction.1) ?? "LINEAR").uppercased()
                    voi = function == "SIGMOID" ? sigmoid(center: c, width: w)
                        : function == "LINEAR_EXACT" ? linearExact(center: c, width: w)
                        : linear(center: c, width: w)
                    windowText = "\(ConfigValue.format(c)),\(ConfigValue.format(w))"
                        + (function == "LINEAR" ? "" : " \(function.lowercased())")
                } else {
                    let (c, w) = autoWindow(values: values, lo: lo, modality: modality)
                    voi = linear(center: c, width: w)
                    windowText = "auto \(ConfigValue.format(c.rounded())),\(ConfigValue.format(w.rounded()))"
                }
            }
            for k in table.indices {
                var y = voi(modality[k])
                if inverted { y = 1 - y }
                table[k] = y * outMax
            }
        }
        let image = mapThroughTable(values, lo: lo, table: table, width: file.columns, height: file.rows,
                                    bits: options.bits == 16 ? 16 : 8)
        return (image, windowText)
    }

    /// Modality values for stored values lo...hi: the Modality LUT Sequence
    /// when present, else Rescale Slope/Intercept (1 and 0 when absent).
    static func modalityTable(_ file: DicomFile, lo: Int, hi: Int) throws(ImageError) -> [Double] {
        if var lut = try file.lookupTable(sequence: Tag.modalityLUT) {
            if file.isSigned && lut.firstMapped > 32767 { lut.firstMapped -= 65536 }
            return (lo...hi).map { Double(lut($0)) }
        }
        let slope = file.numbers(Tag.rescaleSlope.0, Tag.rescaleSlope.1).first ?? 1
        let intercept = file.numbers(Tag.rescaleIntercept.0, Tag.rescaleIntercept.1).first ?? 0
        return (lo...hi).map { Double($0) * slope + intercept }
    }

    /// PS3.3 C.11.2.1.2.1: LINEAR, the default function.
    static func linear(center c: Double, width w: Double) -> (Double) -> Double {
        let c0 = c - 0.5, w0 = w - 1
        return { x in
            if x <= c0 - w0 / 2 { return 0 }
            if x > c0 + w0 / 2 { return 1 }
            return w0 > 0 ? (x - c0) / w0 + 0.5 : 1
        }
    }

    /// PS3.3 C.11.2.1.3.2: LINEAR_EXACT.
    static func linearExact(center c: Double, width w: Double) -> (Double) -> Double {
        { x in
            if x <= c - w / 2 { return 0 }
            if x > c + w / 2 { return 1 }
            return (x - c) / w + 0.5
        }
    }

    /// PS3.3 C.11.2.1.3.1: SIGMOID.
    static func sigmoid(center c: Double, width w: Double) -> (Double) -> Double {
        { x in 1 / (1 + exp(-4 * (x - c) / w)) }
    }

    /// The 0.5th and 99.5th percentiles of the modality values, as centre and width.
    static func autoWindow(values: [Int32], lo: Int32, modality: [Double]) -> (Double, Double) {
        var histogram = [Int](repeating: 0, count: modality.count)
        for v in values { histogram[Int(v - lo)] += 1 }
        let n = values.count
        func percentile(_ p: Double) -> Double {
            let target = Int((Double(n - 1) * p).rounded(.down))
            var seen = 0
            for (k, c) in histogram.enumerated() {
                seen += c
                if seen > target { return modality[k] }
            }
            return modality.last ?? 0
        }
        var a = percentile(0.005), b = percentile(0.995)
        if a > b { swap(&a, &b) }
        if b - a < 1 { b = a + 1 }
        // A linear window whose 0 and 1 fall at a and b.
        return ((a + b) / 2 + 0.5, b - a + 1)
    }

    // MARK: - Colour

    static func color(_ file: DicomFile, values: [Int32], bits: Int, raw: Bool) -> Image {
        let stored = min(max(file.bitsStored, 1), 16)
        let maxIn = Double((1 << stored) - 1)
        let c = file.samplesPerPixel >= 3 ? 3 : 1
        if bits == 8 {
            let out: [UInt8] = stored <= 8 ? values.map { UInt8(clamping: $0) }
                : values.map { UInt8(clamping: Int((Double($0) * 255 / maxIn).rounded())) }
            return Image(width: file.columns, height: file.rows, channels: c, bytes: out)
        }
        let out: [UInt16] = raw ? values.map { UInt16(clamping: $0) }
            : values.map { UInt16(clamping: Int((Double($0) * 65535 / maxIn).rounded())) }
        return Image(width: file.columns, height: file.rows, channels: c, samples16: out)
    }

    static func palette(_ file: DicomFile, values: [Int32], bits: Int) throws(ImageError) -> Image {
        var tables: [LookupTable] = []
        for ch in 0..<3 {
            guard let t = try file.lookupTable(sequence: 0, channel: ch), !t.entries.isEmpty else {
                throw ImageError(.corrupt, path: file.path, reason: "PALETTE COLOR without a palette for channel \(ch)")
            }
            tables.append(t)
        }
        // Every entry widened to 16 bits (8-bit tables times 257), then the depth asked for:
        // to8Bit's rounding gives 8-bit entries back exactly.
        var wide = [UInt16](repeating: 0, count: values.count * 3)
        for (i, v) in values.enumerated() {
            for ch in 0..<3 {
                let t = tables[ch], e = t(Int(v))
                wide[i * 3 + ch] = t.bits > 8 ? UInt16(clamping: e) : UInt16(clamping: e * 257)
            }
        }
        let image = Image(width: file.columns, height: file.rows, channels: 3, samples16: wide)
        return bits == 8 ? image.to8Bit() : image
    }

    // MARK: - Output

    static func mapThroughTable(_ values: [Int32], lo: Int32, table: [Double], width: Int, height: Int, bits: Int) -> Image {
        let maxOut = bits == 16 ? 65535.0 : 255.0
        // NaN (from a degenerate table) becomes 0 rather than a trap.
        let safe = table.map { $0.isNaN ? 0 : min(max($0, 0), maxOut).rounded() }
        if bits == 8 {
            return Image(width: width, height: height, channels: 1, bytes: lookUp(values, lo: lo, safe.map { UInt8($0) }))
        }
        return Image(width: width, height: height, channels: 1, samples16: lookUp(values, lo: lo, safe.map { UInt16($0) }))
    }

    /// `table[v - lo]` for every stored value v (all within lo...lo + table.count - 1).
    static func lookUp<T: FixedWidthInteger>(_ values: [Int32], lo: Int32, _ table: [T]) -> [T] {
        [T](unsafeUninitializedCapacity: values.count) { buf, n in
            table.withUnsafeBufferPointer { t in
                values.withUnsafeBufferPointer { v in
                    for i in 0..<v.count { buf[i] = t[Int(v[i] &- lo)] }
                }
            }
            n = values.count
        }
    }
}

extension DicomDisplay {
    /// YBR_FULL to RGB (PS3.3 C.7.6.3.1.2), 8-bit: floor(x + 0.5), clipped,
    /// with the arithmetic pydicom uses so that the results agree exactly.
    static func ybrFullToRGB(_ ybr: [Int32]) -> [Int32] {
        var out = [Int32](repeating: 0, count: ybr.count)
        // pydicom computes in float32; so does this.
        let kG1: Float = -0.114 * 1.772 / 0.587, kG2: Float = -0.299 * 1.402 / 0.587
        var i = 0
        while i + 2 < ybr.count {
            let y = Float(ybr[i]), cb = Float(ybr[i + 1]) - 128, cr = Float(ybr[i + 2]) - 128
            let r = y + 1.402 * cr
            let g = y + kG1 * cb + kG2 * cr
            let b = y + 1.772 * cb
            out[i] = Int32(min(max((r + 0.5).rounded(.down), 0), 255))
            out[i + 1] = Int32(min(max((g + 0.5).rounded(.down), 0), 255))
            out[i + 2] = Int32(min(max((b + 0.5).rounded(.down), 0), 255))
            i += 3
        }
        return out
    }
}
