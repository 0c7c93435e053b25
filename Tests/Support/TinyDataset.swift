import Foundation
import MedAugCore
import MedAugImage

/// A dataset small enough to train on in seconds, for tests that run whole
/// commands many times (kill-and-resume at every write).
public enum TinyDataset {
    /// Two classes of small noisy squares, bright and dark: 6 training and 2
    /// test images each, 40x40 RGB, the same bytes on every call.
    public static func write(to root: URL) throws {
        var rng = Xoshiro256(seed: 9)
        for (split, n) in [("train", 6), ("test", 2)] {
            for (ci, cls) in ["bright", "dark"].enumerated() {
                let dir = root.appendingPathComponent("\(split)/\(cls)")
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                for i in 0..<n {
                    let px = (0..<(40 * 40 * 3)).map { _ in UInt8((ci == 0 ? 170 : 20) + rng.nextInt(below: 60)) }
                    try ImageFile.write(Image(width: 40, height: 40, channels: 3, bytes: px), to: dir.appendingPathComponent("img\(i).png").path)
                }
            }
        }
    }
}
