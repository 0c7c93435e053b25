import Foundation
import MedAugCore
import MedAugImage

/// What the tool noticed about a GAN's training, written to health.json.
public struct GANHealth: Codable, Equatable, Sendable {
    public var warnings: [String] = []
    public var nonFinite: Bool = false
    /// Longest run of iterations with D's loss near 0 while G's loss climbs.
    public var longestCollapseRun: Int = 0
    /// Mean distance between fixed-noise samples at the last check (0 = all identical), in [-1, 1] units.
    public var sampleDiversity: Double?

    public func write(to path: String) throws {
        let enc = JSONEncoder()
        enc.outputFormatting = [.prettyPrinted, .sortedKeys]
        try AtomicWrite.write(try enc.encode(self), to: path)
    }
}

/// Watches the loss stream for the usual DCGAN failures. Saved whole in each
/// committed state, so a resumed run goes on with what it had seen.
struct GANHealthMonitor: Codable, Equatable, Sendable {
    var health = GANHealth()
    private var run = 0
    private var warnedCollapse = false
    /// Iterations in a row with D winning outright before it is reported.
    static let collapseIterations = 200

    mutating func observe(_ s: GANStep) {
        if s.lossD < 0.05 && s.lossG > 5 {
            run += 1
            health.longestCollapseRun = max(health.longestCollapseRun, run)
            if run >= Self.collapseIterations && !warnedCollapse {
                warnedCollapse = true
                health.warnings.append("discriminator loss near 0 while generator loss stays above 5 for \(run) iterations (from iteration \(s.iteration - run + 1)): the generator has probably stopped learning")
            }
        } else {
            run = 0
        }
    }

    mutating func nonFinite(at s: GANStep) {
        health.nonFinite = true
        health.warnings.append("non-finite loss at epoch \(s.epoch), iteration \(s.iteration); training stopped")
    }

    /// Mean absolute difference between consecutive fixed-noise samples; near 0 means mode collapse.
    mutating func checkDiversity(_ values: [Float], count: Int) {
        guard count > 1 else { return }
        let per = values.count / count
        var total = 0.0
        for k in 1..<count {
            var d = 0.0
            for i in 0..<per { d += Double(abs(values[k * per + i] - values[(k - 1) * per + i])) }
            total += d / Double(per)
        }
        let diversity = total / Double(count - 1)
        health.sampleDiversity = diversity
        if diversity < 0.02, !health.warnings.contains(where: { $0.hasPrefix("samples are nearly identical") }) {
            health.warnings.append(String(format: "samples are nearly identical (mean difference %.4f on a [-1, 1] scale): mode collapse", diversity))
        }
    }
}
