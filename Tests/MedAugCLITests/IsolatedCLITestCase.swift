import Foundation
import MedAugTestSupport
import XCTest

/// A test case with its own temporary folder and its own MedAug home (the
/// patient-key salt file goes there), running `medaug` with no salt
/// variable, so that each test sees the keys a fresh machine would make.
class IsolatedCLITestCase: XCTestCase {
    var tmp: URL!

    override func setUpWithError() throws {
        tmp = FileManager.default.temporaryDirectory.appendingPathComponent("medaug-\(type(of: self))-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: tmp) }

    /// A path inside the test's folder.
    func at(_ rel: String) -> String { tmp.appendingPathComponent(rel).path }

    /// `medaug args`, checked against the expected exit status.
    @discardableResult
    func medaug(_ args: [String], expect status: Int32 = 0, file: StaticString = #filePath, line: UInt = #line) throws -> MedaugBinary.Result {
        let r = try MedaugBinary.run(args, environment: ["MEDAUG_HOME": at("home"), "MEDAUG_ID_SALT": ""], bounded: true)
        XCTAssertEqual(r.status, status, "medaug \(args.joined(separator: " ")): \(r.err)", file: file, line: line)
        return r
    }
}
