/// How samples outside the image are read (imgaug/numpy names; OpenCV's in comments).
public enum BorderMode: String, CaseIterable, Sendable {
    /// cc|abcd|cc (BORDER_CONSTANT)
    case constant
    /// aa|abcd|dd (BORDER_REPLICATE)
    case edge
    /// cb|abcd|cb, edge pixel not repeated (BORDER_REFLECT_101, OpenCV's default)
    case reflect
    /// ba|abcd|dc, edge pixel repeated (BORDER_REFLECT)
    case symmetric
    /// cd|abcd|ab (BORDER_WRAP)
    case wrap

    /// The source index for position `i` on an axis of length `n`, or nil for `constant` outside.
    /// Works for any distance outside, including kernels larger than the image.
    @inline(__always)
    public func index(_ i: Int, _ n: Int) -> Int? {
        if i >= 0 && i < n { return i }
        switch self {
        case .constant:
            return nil
        case .edge:
            return i < 0 ? 0 : n - 1
        case .reflect:
            if n == 1 { return 0 }
            let period = 2 * (n - 1)
            var m = i % period
            if m < 0 { m += period }
            return m < n ? m : period - m
        case .symmetric:
            let period = 2 * n
            var m = i % period
            if m < 0 { m += period }
            return m < n ? m : period - 1 - m
        case .wrap:
            var m = i % n
            if m < 0 { m += n }
            return m
        }
    }
}
