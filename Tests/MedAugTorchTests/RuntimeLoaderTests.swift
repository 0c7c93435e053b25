import Foundation
import MedAugTestSupport
import XCTest
@testable import MedAugTorch

/// The loader between Swift and libtorch (Sources/CTorch).
final class RuntimeLoaderTests: XCTestCase {
    /// Every function of ctorch.h has its trampoline: the committed loader is
    /// what scripts/gen-ctorch-loader.py makes from the header today.
    func testLoaderMatchesTheHeader() throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", MedaugBinary.root.appendingPathComponent("scripts/gen-ctorch-loader.py").path, "--check"]
        let err = Pipe()
        p.standardError = err
        try p.run()
        p.waitUntilExit()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(p.terminationStatus, 0, message)
    }

    /// Loading is idempotent and the runtime it names is the one that answers.
    func testRuntimeLoadsOnceAndAnswers() throws {
        try Torch.loadRuntime()
        try Torch.loadRuntime()
        XCTAssertTrue(Torch.runtimePath.hasSuffix("libMedAugTorchRuntime.so"), Torch.runtimePath)
        XCTAssertTrue(FileManager.default.fileExists(atPath: Torch.runtimePath))
        XCTAssertFalse(Torch.version.isEmpty)
    }
}
