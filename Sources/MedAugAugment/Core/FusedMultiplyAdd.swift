/// `a·b + c` rounded once, as OpenCV's vector code computes its sums and
/// colour conversions (FMA on AVX2). Built for a processor with FMA
/// (`MEDAUG_FMA`, set by scripts/cpu-flags.sh) it is that instruction.
/// Otherwise the product of two floats is exact in a double and the sum is
/// rounded to float afterwards, which gives the fused result short of rare
/// double-rounding ties (none on the 8-bit inputs of the colour conversions,
/// checked against cv2 on all 2^24), and unlike a libm `fmaf` call a loop
/// around it still vectorises on baseline x86-64.
@inline(__always)
func fusedMultiplyAdd(_ a: Float, _ b: Float, _ c: Float) -> Float {
    #if MEDAUG_FMA
    c.addingProduct(a, b)
    #else
    Float(Double(a) * Double(b) + Double(c))
    #endif
}
