import Foundation
import XCTest
@testable import MedAugAugment

/// The README's list of augmenters is `medaug augmenters --markdown`'s output,
/// so it names every registered augmenter with its current defaults.
final class ReadmeListingTests: XCTestCase {
    static let begin = "<!-- BEGIN medaug augmenters --markdown -->\n"
    static let end = "<!-- END medaug augmenters --markdown -->"

    func testReadmeListsEveryAugmenterWithItsParameters() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let readme = try String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)
        guard let start = readme.range(of: Self.begin), let stop = readme.range(of: Self.end, range: start.upperBound..<readme.endIndex)
        else { return XCTFail("README.md lacks the markers around the augmenter table") }
        let table = String(readme[start.upperBound..<stop.lowerBound])
        let expected = AugmenterListing.markdown(AugmenterRegistry.listing())
        XCTAssertEqual(table, expected,
                       "README.md's augmenter table is stale: replace it with `swift run medaug augmenters --markdown`")
        for name in AugmenterRegistry.names {
            XCTAssertTrue(table.contains("| \(name) |"), "\(name) missing from README.md")
        }
    }
}
