import CProcess

/// glibc returns large freed blocks to the kernel at once, so per-image
/// buffers of 128 KB and more are page-faulted afresh on every call (measured:
/// 30-50% of a 224x224 RGB filter's time). Raising the thresholds once at
/// process start keeps such buffers in the heap.
enum AllocatorTuning {
    static func apply() { _ = mc_tune_allocator() }

    /// Line-buffered stdout, for long runs whose output goes to a file.
    static func lineBufferStandardOutput() { mc_line_buffer_stdout() }
}
