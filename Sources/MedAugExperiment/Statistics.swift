import Foundation

/// The summary statistics of repeated runs, as SciPy computes them.
public enum Statistics {
    public static func mean(_ x: [Double]) -> Double {
        x.isEmpty ? .nan : x.reduce(0, +) / Double(x.count)
    }

    /// Sample standard deviation: sqrt(sum((x - mean)^2) / (n - 1)), numpy's std(ddof=1).
    public static func sd(_ x: [Double]) -> Double {
        guard x.count > 1 else { return .nan }
        let m = mean(x)
        return (x.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(x.count - 1)).squareRoot()
    }

    /// The 95% (or `level`) confidence interval of the mean, Student's t with n - 1
    /// degrees of freedom: mean ± t * sd / sqrt(n) (scipy.stats.t.interval).
    public static func confidenceInterval(_ x: [Double], level: Double = 0.95) -> (Double, Double) {
        guard x.count > 1 else { return (.nan, .nan) }
        let m = mean(x), s = sd(x) / Double(x.count).squareRoot()
        let t = StudentT.quantile(0.5 + level / 2, df: Double(x.count - 1))
        return (m - t * s, m + t * s)
    }

    public struct WelchResult: Equatable, Sendable {
        public var t: Double
        public var df: Double
        public var p: Double
    }

    /// Welch's unequal-variance t-test, two-sided (scipy.stats.ttest_ind(equal_var=False)).
    public static func welch(_ a: [Double], _ b: [Double]) -> WelchResult {
        guard a.count > 1, b.count > 1 else { return WelchResult(t: .nan, df: .nan, p: .nan) }
        let va = pow(sd(a), 2) / Double(a.count), vb = pow(sd(b), 2) / Double(b.count)
        let se = (va + vb).squareRoot()
        let diff = mean(a) - mean(b)
        if se == 0 {
            return WelchResult(t: diff == 0 ? .nan : (diff > 0 ? .infinity : -.infinity), df: .nan, p: diff == 0 ? .nan : 0)
        }
        let t = diff / se
        let df = (va + vb) * (va + vb) / (va * va / Double(a.count - 1) + vb * vb / Double(b.count - 1))
        let p = 2 * StudentT.sf(abs(t), df: df)
        return WelchResult(t: t, df: df, p: min(1, p))
    }
}

/// Student's t distribution through the regularized incomplete beta function.
public enum StudentT {
    /// P(T > t) for t >= 0.
    public static func sf(_ t: Double, df: Double) -> Double {
        let x = df / (df + t * t)
        return 0.5 * IncompleteBeta.regularized(a: df / 2, b: 0.5, x: x)
    }

    public static func cdf(_ t: Double, df: Double) -> Double {
        t >= 0 ? 1 - sf(t, df: df) : sf(-t, df: df)
    }

    /// The p-quantile, by bisection then Newton polishing on the CDF.
    public static func quantile(_ p: Double, df: Double) -> Double {
        guard p > 0, p < 1 else { return p <= 0 ? -.infinity : .infinity }
        var lo = -1e3, hi = 1e3
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if cdf(mid, df: df) < p { lo = mid } else { hi = mid }
            if hi - lo < 1e-14 { break }
        }
        return (lo + hi) / 2
    }
}

/// I_x(a, b) by Lentz's continued fraction (Numerical Recipes' betacf).
public enum IncompleteBeta {
    public static func regularized(a: Double, b: Double, x: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let lbeta = lgamma(a + b) - lgamma(a) - lgamma(b)
        let front = exp(lbeta + a * log(x) + b * log(1 - x))
        if x < (a + 1) / (a + b + 2) {
            return front * continuedFraction(a: a, b: b, x: x) / a
        }
        return 1 - front * continuedFraction(a: b, b: a, x: 1 - x) / b
    }

    static func continuedFraction(a: Double, b: Double, x: Double) -> Double {
        let tiny = 1e-300
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...1000 {
            let m = Double(m)
            let m2 = 2 * m
            var aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < 1e-16 { break }
        }
        return h
    }
}
