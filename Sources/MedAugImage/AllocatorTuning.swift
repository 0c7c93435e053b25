#if canImport(Glibc)
import Glibc
#endif

/// glibc returns large freed blocks to the kernel at once, so per-image
/// buffers of 128 KB and more are page-faulted afresh on every call (measured:
/// 30-50% of a 224x224 RGB filter's time). Raising the thresholds once at
/// process start keeps such buffers in the heap.
public enum AllocatorTuning {
    public static func apply() {
        #if canImport(Glibc)
        _ = mallopt(M_MMAP_THRESHOLD, 32 << 20)
        _ = mallopt(M_TRIM_THRESHOLD, 256 << 20)
        #endif
    }
}
