import MedAugCore
import MedAugData
import XCTest
import MedAugImage

final class StratifiedSplitTests: XCTestCase {
    /// 100 of class 0, 40 of class 1, 7 of class 2, 1 of class 3.
    func samples() -> [Sample] {
        var s: [Sample] = []
        for (label, n) in [100, 40, 7, 1].enumerated() {
            for i in 0..<n { s.append(Sample(path: "c\(label)/\(i).png", classIndex: label, className: "c\(label)", split: .unsplit)) }
        }
        return s
    }

    func testStratifiedProportions() throws {
        let r = try StratifiedSplit.split(samples(), testFraction: 0.2, seed: 1)
        XCTAssertEqual(Dataset.counts(r.test, classCount: 4), [20, 8, 1, 0])
        XCTAssertEqual(Dataset.counts(r.train, classCount: 4), [80, 32, 6, 1])
        XCTAssertTrue(r.test.allSatisfy { $0.split == .test })
        XCTAssertTrue(r.train.allSatisfy { $0.split == .train })
    }

    func testDisjointAndCovering() throws {
        let all = samples()
        let r = try StratifiedSplit.split(all, testFraction: 0.3, seed: 9)
        let train = Set(r.train.map(\.path)), test = Set(r.test.map(\.path))
        XCTAssertTrue(train.isDisjoint(with: test))
        XCTAssertEqual(train.union(test), Set(all.map(\.path)))
        XCTAssertEqual(r.train.count + r.test.count, all.count)
        // Each side keeps the input order.
        let index = Dictionary(uniqueKeysWithValues: all.enumerated().map { ($1.path, $0) })
        XCTAssertEqual(r.test.map { index[$0.path]! }, r.test.map { index[$0.path]! }.sorted())
    }

    func testSeeded() throws {
        let a = try StratifiedSplit.split(samples(), testFraction: 0.25, seed: 42)
        let b = try StratifiedSplit.split(samples(), testFraction: 0.25, seed: 42)
        let c = try StratifiedSplit.split(samples(), testFraction: 0.25, seed: 43)
        XCTAssertEqual(a.test, b.test)
        XCTAssertEqual(a.train, b.train)
        XCTAssertNotEqual(a.test.map(\.path), c.test.map(\.path))
        XCTAssertEqual(a.test.count, c.test.count)
    }

    func testAtLeastOneHeldOutAndOneKept() throws {
        XCTAssertEqual(StratifiedSplit.heldOutCount(2, 0.01), 1)
        XCTAssertEqual(StratifiedSplit.heldOutCount(2, 0.99), 1)
        XCTAssertEqual(StratifiedSplit.heldOutCount(1, 0.5), 0)
        XCTAssertEqual(StratifiedSplit.heldOutCount(10, 0), 0)
        XCTAssertEqual(StratifiedSplit.heldOutCount(10, 1), 10)
        XCTAssertEqual(StratifiedSplit.heldOutCount(10, 0.25), 3)  // 2.5 rounds away from zero
    }

    func testValidationLabels() throws {
        let r = try StratifiedSplit.split(samples(), testFraction: 0.15, seed: 0, testSplit: .validation)
        XCTAssertTrue(r.test.allSatisfy { $0.split == .validation })
    }

    func testBadFractionIsRefused() {
        XCTAssertThrowsError(try StratifiedSplit.split(samples(), testFraction: 1.5, seed: 0))
        XCTAssertThrowsError(try StratifiedSplit.split(samples(), testFraction: .nan, seed: 0))
    }

    func testGroupsStayTogether() throws {
        // 30 source images of two classes, each with 3 augmented copies in the same group.
        var s: [Sample] = []
        for src in 0..<30 {
            let label = src % 3 == 0 ? 1 : 0
            for copy in 0..<4 {
                s.append(Sample(path: "s\(src)_\(copy).png", classIndex: label, className: "c\(label)",
                                split: .train, group: "src\(src)"))
            }
        }
        for seed in UInt64(0)..<5 {
            let r = try StratifiedSplit.split(s, testFraction: 0.2, seed: seed)
            let testGroups = Set(r.test.compactMap(\.group)), trainGroups = Set(r.train.compactMap(\.group))
            XCTAssertTrue(testGroups.isDisjoint(with: trainGroups))
            XCTAssertEqual(r.test.count % 4, 0)
            // Stratified over groups: 20 groups of class 0 -> 4 held out, 10 of class 1 -> 2.
            XCTAssertEqual(Dataset.counts(r.test, classCount: 2), [16, 8])
        }
    }
}

final class SeededRandomTests: XCTestCase {
    func testSplitMix64ReferenceValues() {
        // Reference sequence for seed 1234567 (Vigna's splitmix64.c).
        var g = SplitMix64(seed: 1234567)
        XCTAssertEqual((0..<5).map { _ in g.next() },
                       [6457827717110365317, 3203168211198807973, 9817491932198370423,
                        4593380528125082431, 16408922859458223821])
    }

    func testXoshiroIsDeterministicAndDerivationSeparatesStreams() {
        var a = Xoshiro256(seed: 5), b = Xoshiro256(seed: 5)
        XCTAssertEqual((0..<8).map { _ in a.next() }, (0..<8).map { _ in b.next() })
        var p = Xoshiro256(seed: 5, path: [1, 2]), q = Xoshiro256(seed: 5, path: [2, 1])
        XCTAssertNotEqual(p.next(), q.next())
        XCTAssertEqual(SeedDerivation.hash("skin-lesion"), SeedDerivation.hash("skin-lesion"))
    }

    func testBoundedDrawsAreInRangeAndRoughlyUniform() {
        var g = Xoshiro256(seed: 77)
        var tally = [Int](repeating: 0, count: 6)
        for _ in 0..<60_000 { tally[g.nextInt(below: 6)] += 1 }
        XCTAssertTrue(tally.allSatisfy { abs($0 - 10_000) < 400 }, "\(tally)")
        for _ in 0..<1000 {
            let d = g.nextDouble()
            XCTAssertTrue(d >= 0 && d < 1)
            XCTAssertTrue((3...5).contains(g.nextInt(in: 3...5)))
        }
    }

    func testShuffleIsAPermutation() {
        var g = Xoshiro256(seed: 3)
        var a = Array(0..<50)
        g.shuffle(&a)
        XCTAssertEqual(a.sorted(), Array(0..<50))
        XCTAssertNotEqual(a, Array(0..<50))
    }
}
