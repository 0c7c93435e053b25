import XCTest
@testable import MedAugAugment

/// `LabelConnectivity.enforce` against skimage's algorithm written plainly:
/// one breadth-first search per piece, neighbours in the order x+1, x-1,
/// y+1, y-1, cut at `maxSize`, a piece under `minSize` taking the number of
/// the last numbered neighbour it met.
final class SegmentationConnectivityTests: XCTestCase {
    func testFillsAgreeWithAPlainSearch() {
        // Large pieces are finished by a fill over runs (or spans, once some
        // piece has been cut), which must give what skimage's one search per
        // piece gives: blocky maps with noise, pieces from 1 pixel to the
        // whole image, searches cut or not.
        var g = AugmentRandom(seed: 5)
        for trial in 0..<300 {
            let w = 1 + g.nextInt(below: 48), h = 1 + g.nextInt(below: 40)
            let block = 1 + g.nextInt(below: 12), values = 1 + g.nextInt(below: 4)
            var labels = [Int32](repeating: 0, count: w * h)
            for y in 0..<h {
                for x in 0..<w {
                    let noisy = g.nextInt(below: 10) == 0
                    labels[y * w + x] = Int32(noisy ? g.nextInt(below: values) : ((x / block) * 7 + (y / block) * 3) % values)
                }
            }
            let minSize = [0, 1, 4, 12, 40, 400][trial % 6], maxSize = [1, 3, 9, 30, 150, 100_000][(trial / 6) % 6]
            let got = LabelConnectivity.enforce(labels, width: w, height: h, minSize: minSize, maxSize: maxSize)
            let want = Self.plainConnectivity(labels, width: w, height: h, minSize: minSize, maxSize: maxSize)
            XCTAssertEqual(got.labels, want.labels, "trial \(trial): \(w)x\(h) min \(minSize) max \(maxSize)")
            XCTAssertEqual(got.count, want.count, "trial \(trial)")
        }
    }

    static func plainConnectivity(_ seg: [Int32], width w: Int, height h: Int, minSize: Int,
                                  maxSize: Int) -> SegmentationResult {
        let n = w * h, cap = max(1, maxSize)
        var out = [Int32](repeating: -1, count: n)
        var next: Int32 = 0, highest: Int32 = -1
        for start in 0..<n where out[start] < 0 {
            var queue = [start], adjacent = next, visited = 0
            out[start] = next
            search: while visited < queue.count && queue.count < cap {
                let p = queue[visited], x = p % w
                visited += 1
                for (m, ok) in [(p + 1, x + 1 < w), (p - 1, x > 0), (p + w, p + w < n), (p - w, p >= w)] where ok {
                    if seg[m] == seg[start] && out[m] < 0 {
                        out[m] = next
                        queue.append(m)
                        if queue.count >= cap { break search }
                    } else if out[m] >= 0 && out[m] != next {
                        adjacent = out[m]
                    }
                }
            }
            if queue.count < minSize {
                for p in queue { out[p] = adjacent }
                highest = max(highest, adjacent)
            } else {
                highest = max(highest, next)
                next += 1
            }
        }
        return SegmentationResult(width: w, height: h, labels: out, count: Int(highest) + 1)
    }
}
