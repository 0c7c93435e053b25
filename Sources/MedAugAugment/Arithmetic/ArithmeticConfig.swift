import MedAugCore

/// Sampling and pipeline-file helpers shared by Multiply, Add and the dropout family.
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

    /// per_channel as a file writes it: true/false for certain values, else p.
    static func probability(_ p: Probability) -> ConfigValue {
        switch p.param {
        case .constant(0): return .bool(false)
        case .constant(1): return .bool(true)
        default: return p.param.config
        }
    }

    static func format(_ values: [Float]) -> String {
        values.map { fmt(Double($0)) }.joined(separator: ",")
    }
}
