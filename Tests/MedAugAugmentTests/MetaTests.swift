import MedAugCore
import XCTest
import MedAugImage
@testable import MedAugAugment

/// Adds a constant to every sample and leaves a mark in the trace, so the
/// order and selection of children can be read off the result.
private struct Mark: Augmenter {
    let value: UInt8
    var name: String { "Mark" }
    var arguments: [(String, ConfigValue)] { [("value", .int(Int(value)))] }
    func augment(_ image: Image, _ context: inout AugmentContext) throws -> Image {
        context.record("Mark", [("value", String(value))])
        let b = image.bytes!.map { $0 &* 2 &+ value }
        return Image(width: image.width, height: image.height, channels: image.channels, bytes: b)
    }
}

final class MetaTests: XCTestCase {
    let one = Image(width: 1, height: 1, channels: 1, bytes: [0])

    private func trace(_ aug: any Augmenter, identity: String, seed: UInt64 = 7) throws -> [String] {
        var ctx = AugmentContext(seed: seed, identity: identity, recordTrace: true)
        _ = try aug.augment(one, &ctx)
        return ctx.trace!.map { $0.values[0].1 }
    }

    func testSequentialRunsInOrder() throws {
        let seq = Sequential([Mark(value: 1), Mark(value: 2), Mark(value: 3)])
        let out = try seq(one, seed: 1, identity: "a")
        // ((0*2+1)*2+2)*2+3 = 11
        XCTAssertEqual(out.bytes, [11])
    }

    func testSequentialRandomOrderPermutesPerImage() throws {
        let seq = Sequential([Mark(value: 1), Mark(value: 2), Mark(value: 3)], randomOrder: true)
        var orders = Set<[String]>()
        for i in 0..<40 { orders.insert(try trace(seq, identity: "img\(i)")) }
        XCTAssertEqual(orders.count, 6, "all 3! orders should appear over 40 images")
        for o in orders { XCTAssertEqual(o.sorted(), ["1", "2", "3"]) }
    }

    func testSometimesFollowsP() throws {
        let never = Sometimes(0, then: [Mark(value: 1)], else: [Mark(value: 2)])
        let always = Sometimes(1, then: [Mark(value: 1)], else: [Mark(value: 2)])
        for i in 0..<10 {
            XCTAssertEqual(try trace(never, identity: "\(i)"), ["2"])
            XCTAssertEqual(try trace(always, identity: "\(i)"), ["1"])
        }
        let half = Sometimes(0.5, then: [Mark(value: 1)])
        let hits = try (0..<2000).filter { try trace(half, identity: "\($0)") == ["1"] }.count
        XCTAssertEqual(Double(hits) / 2000, 0.5, accuracy: 0.05)
    }

    func testSomeOfPicksNAndKeepsListOrder() throws {
        let s = SomeOf(n: .constant(2), [Mark(value: 1), Mark(value: 2), Mark(value: 3), Mark(value: 4)])
        var subsets = Set<[String]>()
        for i in 0..<200 {
            let t = try trace(s, identity: "\(i)")
            XCTAssertEqual(t.count, 2)
            XCTAssertEqual(t, t.sorted(), "without random_order the chosen children run in list order")
            subsets.insert(t)
        }
        XCTAssertEqual(subsets.count, 6, "every 2-subset of 4 should be chosen")
    }

    func testSomeOfRangeAndUpToAll() throws {
        let kids: [any Augmenter] = (1...5).map { Mark(value: UInt8($0)) }
        let ranged = SomeOf(n: .range(0, 2), kids)
        let counts = Set(try (0..<300).map { try trace(ranged, identity: "\($0)").count })
        XCTAssertEqual(counts, [0, 1, 2])
        let upTo = SomeOf(atLeast: 4, kids)
        let counts2 = Set(try (0..<300).map { try trace(upTo, identity: "\($0)").count })
        XCTAssertEqual(counts2, [4, 5])
        let tooMany = SomeOf(n: .constant(9), kids)
        XCTAssertEqual(try trace(tooMany, identity: "x").count, 5, "n is clipped to the number of children")
    }

    func testOneOfRunsExactlyOne() throws {
        let o = SomeOf.oneOf([Mark(value: 1), Mark(value: 2), Mark(value: 3)])
        var seen = Set<String>()
        for i in 0..<100 {
            let t = try trace(o, identity: "\(i)")
            XCTAssertEqual(t.count, 1)
            seen.insert(t[0])
        }
        XCTAssertEqual(seen, ["1", "2", "3"])
        XCTAssertEqual(o.name, "OneOf")
    }

    func testSameSeedAndIdentityGiveTheSameStream() throws {
        let seq = Sequential([Mark(value: 1), Mark(value: 2), Mark(value: 3)], randomOrder: true)
        XCTAssertEqual(try trace(seq, identity: "a/b.png#1"), try trace(seq, identity: "a/b.png#1"))
        var differs = false
        for s in 0..<10 where try trace(seq, identity: "a/b.png#1", seed: UInt64(s)) != trace(seq, identity: "a/b.png#1") {
            differs = true
        }
        XCTAssertTrue(differs, "other seeds should give other orders")
    }

    func testProbabilityRangeDrawsPOncePerImage() {
        var rng = AugmentRandom(seed: 3)
        let p = Probability(.range(0.2, 0.4))
        for _ in 0..<100 {
            let v = p.sampleP(&rng)
            XCTAssertTrue((0.2..<0.4).contains(v))
        }
        XCTAssertEqual(Probability.constant(1 - 1e-7).sampleP(&rng), 1, "p within 1e-6 of 1 is certain, as in imgaug")
    }

    func testDiscreteRangeIsInclusiveAndContinuousIsHalfOpen() {
        var rng = AugmentRandom(seed: 11)
        let d = Discrete.range(1, 3)
        XCTAssertEqual(Set((0..<500).map { _ in d.sample(&rng) }), [1, 2, 3])
        let c = Continuous.range(5, 2) // swapped, as imgaug does
        for _ in 0..<500 { XCTAssertTrue((2..<5).contains(c.sample(&rng))) }
        XCTAssertEqual(Discrete(.constant(2.9)).sample(&rng), 2, "the discrete handler truncates")
    }
}
