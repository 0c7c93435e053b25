import XCTest
import Foundation
import MedAugTestSupport

/// The README's "Resuming" section promises that its commands run as written.
extension CLITests {
    func testReadmeResumingExamplesRunAsWritten() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        guard let start = readme.range(of: "## Resuming") else { return XCTFail("README has no Resuming section") }
        let section = readme[start.upperBound...]
        let end = section.range(of: "\n## ")?.lowerBound ?? section.endIndex
        let text = String(section[..<end])
        let blocks = text.components(separatedBy: "```").enumerated().filter { $0.offset % 2 == 1 }.map(\.element)
        let shell = try XCTUnwrap(blocks.first { $0.hasPrefix("sh\n") })
        let yaml = try XCTUnwrap(blocks.first { $0.hasPrefix("yaml\n") })
        try String(yaml.dropFirst("yaml\n".count)).write(to: tmp.appendingPathComponent("tiny.yaml"), atomically: true, encoding: .utf8)
        let commands = shell.split(separator: "\n").dropFirst().map(String.init).filter { $0.hasPrefix("medaug ") }
        XCTAssertGreaterThanOrEqual(commands.count, 8)
        for line in commands {
            let r = try MedaugBinary.run(line.split(separator: " ").dropFirst().map(String.init), in: tmp)
            XCTAssertEqual(r.status, 0, "\(line): \(r.err.suffix(500))")
        }
        let history = try String(contentsOf: tmp.appendingPathComponent("runs/cnn/history.csv"), encoding: .utf8)
        XCTAssertEqual(history.split(separator: "\n").count, 1 + 5, history)
        let results = try String(contentsOf: tmp.appendingPathComponent("res/tiny/results.csv"), encoding: .utf8)
        XCTAssertTrue(results.contains("\nAug 1,2,"), results)
    }
}
