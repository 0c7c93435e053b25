/// One wording for "a value outside its allowed range", so that a bound is
/// written once (in the range) and every layer words the refusal alike:
/// "--epochs must be 1 to 100000, got 0".
public enum RangeRule {
    /// The refusal for `value` outside `range`, naming `name`; nil inside it.
    public static func violation<T: Comparable>(_ name: String, _ value: T, _ range: ClosedRange<T>) -> String? {
        range.contains(value) ? nil : "\(name) must be \(range.lowerBound) to \(range.upperBound), got \(value)"
    }
}
