import CProcess
import XCTest

/// The executables' allocator tuning (measured: 30-50% of a filter's time,
/// and of a small-CNN training step, without it) must not compile away.
final class ProcessSetupTests: XCTestCase {
    func testAllocatorTuningTakesEffectOnGlibc() throws {
        #if os(Linux)
        XCTAssertEqual(mc_tune_allocator(), 1, "mallopt was not called: the glibc check in process_setup.c failed")
        #else
        throw XCTSkip("glibc only")
        #endif
    }
}
