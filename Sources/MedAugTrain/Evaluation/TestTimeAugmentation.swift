import Foundation
import MedAugAugment
import MedAugCore

/// Test-time augmentation: the model's probabilities averaged over each
/// image and augmented copies of it, a cheap way to steady predictions
/// that hinge on orientation or small shifts.
public struct TestTimeAugmentation: Equatable, Sendable, CustomStringConvertible {
    /// What the copies are.
    public enum Kind: Equatable, Sendable {
        /// Fixed mirrors: horizontal, then vertical, then both (as many as `copies`).
        case flips
        /// A preset or pipeline file, drawn anew for every copy.
        case pipeline(String)
    }

    /// Mirrors or a pipeline.
    public let kind: Kind
    /// Augmented copies per image, besides the original.
    public let copies: Int

    /// Copies per image `--tta-copies` accepts: each is one more pass over the test set.
    public static let copiesRange = 1...64
    /// Default copies: one mirror for flips, four draws of a pipeline.
    public static func defaultCopies(_ kind: Kind) -> Int { kind == .flips ? 1 : 4 }

    /// `flips`, or a preset name or pipeline file (checked when the passes are built).
    public init(_ text: String, copies: Int? = nil) throws {
        kind = text.lowercased() == "flips" ? .flips : .pipeline(text)
        self.copies = copies ?? Self.defaultCopies(kind)
        guard Self.copiesRange.contains(self.copies) else {
            throw TrainError(.setting, "--tta-copies must be \(Self.copiesRange.lowerBound) to \(Self.copiesRange.upperBound), got \(self.copies)")
        }
        if kind == .flips, self.copies > 3 {
            throw TrainError(.setting, "--tta flips has 3 distinct copies (horizontal, vertical, both mirrors); --tta-copies \(self.copies) would repeat them")
        }
    }

    /// The augmentation of each pass after the plain one.
    public func passes() throws -> [MedAugAugment.Sequential] {
        switch kind {
        case .flips:
            let mirrors: [[any Augmenter]] = [[Fliplr(1)], [Flipud(1)], [Fliplr(1), Flipud(1)]]
            return mirrors.prefix(copies).map { MedAugAugment.Sequential($0) }
        case .pipeline(let name):
            let p: MedAugAugment.Sequential
            do { p = try PipelineSource(name).load() } catch {
                throw TrainError(.setting, "--tta '\(name)' is neither `flips` nor a usable preset or pipeline file: \(error)")
            }
            return Array(repeating: p, count: copies)
        }
    }

    /// How the report states it.
    public var description: String {
        switch kind {
        case .flips:
            let names = ["the horizontal mirror", "the vertical mirror", "both mirrors"].prefix(copies)
            return "test-time augmentation: probabilities averaged over each image and \(names.joined(separator: ", "))"
        case .pipeline(let name):
            return "test-time augmentation: probabilities averaged over each image and \(copies) cop\(copies == 1 ? "y" : "ies") augmented by \(name)"
        }
    }
}
