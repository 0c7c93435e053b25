import MedAugCore

/// Sampling helpers shared by Multiply, Add and the dropout family (their
/// pipeline-file parameters are in ArithmeticSpecs.swift and DropoutSpecs.swift).
enum ArithmeticConfig {
    /// imgaug draws per_channel first, then one value per channel, and uses
    /// the first value for the whole image unless per_channel fired.
    /// Values are float32 in imgaug, so they are rounded to Float here.
    static func sampleChannelValues(_ p: Continuous, _ perChannel: Probability, channels: Int,
                                    _ rng: inout AugmentRandom) -> [Float] {
        let independent = perChannel.sample(&rng)
        var values = [Float]()
        values.reserveCapacity(channels)
        for _ in 0..<max(channels, 1) { values.append(Float(p.sample(&rng))) }
        return independent ? values : [values[0]]
    }

    static func format(_ values: [Float]) -> String {
        values.map { fmt(Double($0)) }.joined(separator: ",")
    }
}
