import MedAugImage

/// Multiply's pixel work (imgaug `multiply_scalar`).
public enum MultiplyPixels {
    /// imgaug's uint8 table: `i * m` in float32, clipped to 0...255, then cast,
    /// so the result is truncated (3 x 0.5 -> 1, 3 x 1.5 -> 4).
    public static func table(_ m: Float) -> [UInt8] {
        (0..<256).map { i in
            let v = Float(i) * m
            if !(v > 0) { return 0 }
            return v >= 255 ? 255 : UInt8(v)
        }
    }

    @inline(__always)
    static func clip16(_ v: Float) -> UInt16 {
        if !(v > 0) { return 0 }
        return v >= 65535 ? 65535 : UInt16(v)
    }

    /// uint16: `round_half_even(x * m)` in float32, clipped.
    @inline(__always)
    static func apply16(_ x: UInt16, _ m: Float) -> UInt16 {
        MultiplyPixels.clip16((Float(x) * m).rounded(.toNearestOrEven))
    }

    /// Multiplies channel c by `multipliers[c]`; a single multiplier applies to all channels.
    public static func apply(_ image: Image, multipliers: [Float]) -> Image {
        precondition(multipliers.count == 1 || multipliers.count == image.channels, "one multiplier or one per channel")
        var out = image
        switch image.pixels {
        case .u8(let a):
            out.pixels = .u8(ByteKernels.multiply(a, channels: image.channels, factors: multipliers)
                ?? ByteKernels.lookup(a, tables: multipliers.map(table)))
        case .u16(var a):
            let c = image.channels
            a.withUnsafeMutableBufferPointer { p in
                if multipliers.count == 1 {
                    let m = multipliers[0]
                    for i in p.indices { p[i] = apply16(p[i], m) }
                } else {
                    for i in p.indices { p[i] = apply16(p[i], multipliers[i % c]) }
                }
            }
            out.pixels = .u16(a)
        }
        return out
    }
}

/// Add's pixel work (imgaug `add_scalar`).
public enum AddPixels {
    /// imgaug rounds the value half to even and limits it to -255...255 before building the uint8 table.
    public static func roundedValue(_ v: Float) -> Int {
        let r = v.rounded(.toNearestOrEven)
        if r.isNaN { return 0 }
        return Int(min(max(r, -255), 255))
    }

    /// `clip(i + v, 0, 255)` for an already rounded v.
    public static func table(_ v: Int) -> [UInt8] {
        (0..<256).map { i in UInt8(min(max(i + v, 0), 255)) }
    }

    /// uint16: `round_half_even(x + v)` in float32, clipped.
    @inline(__always)
    static func apply16(_ x: UInt16, _ v: Float) -> UInt16 {
        MultiplyPixels.clip16((Float(x) + v).rounded(.toNearestOrEven))
    }

    /// Adds `values[c]` to channel c; a single value applies to all channels.
    public static func apply(_ image: Image, values: [Float]) -> Image {
        precondition(values.count == 1 || values.count == image.channels, "one value or one per channel")
        var out = image
        switch image.pixels {
        case .u8(let a):
            out.pixels = .u8(ByteKernels.add(a, channels: image.channels, values: values.map(roundedValue)))
        case .u16(var a):
            let c = image.channels
            a.withUnsafeMutableBufferPointer { p in
                if values.count == 1 {
                    let v = values[0]
                    for i in p.indices { p[i] = apply16(p[i], v) }
                } else {
                    for i in p.indices { p[i] = apply16(p[i], values[i % c]) }
                }
            }
            out.pixels = .u16(a)
        }
        return out
    }
}

/// 256-entry lookup tables applied to interleaved 8-bit samples (cv2.LUT).
public enum LookupTable8 {
    /// One table for every channel, or one per channel. The result is a
    /// fresh array (``ByteKernels/apply(_:channels:tables:)``), which costs
    /// less than changing a shared array in place (a copy first).
    public static func apply(_ samples: inout [UInt8], channels: Int, tables: [[UInt8]]) {
        precondition(tables.count == 1 || tables.count == channels)
        precondition(tables.allSatisfy { $0.count == 256 })
        samples = ByteKernels.apply(samples, channels: channels, tables: tables)
    }

    /// Applies a table to one channel only (e.g. the brightness channel), leaving the others.
    public static func apply(_ samples: inout [UInt8], channels: Int, channel: Int, table: [UInt8]) {
        precondition(table.count == 256 && channel < channels)
        table.withUnsafeBufferPointer { t in
            samples.withUnsafeMutableBufferPointer { p in
                var i = channel
                let n = p.count
                while i < n {
                    p[i] = t[Int(p[i])]
                    i += channels
                }
            }
        }
    }
}
