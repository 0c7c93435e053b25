import Foundation

/// The Holm–Bonferroni step-down adjustment, for reporting several variant
/// comparisons against one baseline without inflating the chance of a false
/// "significant".
public enum Holm {
    /// Holm-adjusted p-values in input order, as statsmodels'
    /// multipletests(method="holm") gives them: with the m present p-values
    /// sorted ascending, adjusted_(i) = max_{j<=i} min(1, (m - j)·p_(j)),
    /// j counted from 0. The running maximum keeps the adjusted values in the
    /// same order as the raw ones; tied raw values get the same adjusted value
    /// whatever order they are sorted in.
    ///
    /// nil entries (a test that could not be computed) are skipped and stay
    /// nil, and m counts only the others, because a comparison that produced
    /// no p-value was not a test that could have been a false positive.
    /// A NaN entry is treated the same way and comes back nil.
    public static func adjust(_ p: [Double?]) -> [Double?] {
        let present = p.indices.filter { p[$0].map { !$0.isNaN } ?? false }
        let m = present.count
        // Stable, so equal p-values keep their input order (it does not change the result).
        let order = present.enumerated().sorted { l, r in
            let (a, b) = (p[l.element]!, p[r.element]!)
            return a < b || (a == b && l.offset < r.offset)
        }.map(\.element)
        var out = [Double?](repeating: nil, count: p.count)
        var running = 0.0
        for (j, i) in order.enumerated() {
            running = max(running, Double(m - j) * p[i]!)
            out[i] = min(1, running)
        }
        return out
    }
}
