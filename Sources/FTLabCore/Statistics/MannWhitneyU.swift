import Foundation

/// The two-sided Mann-Whitney U test (Wilcoxon rank-sum): do two samples come from the same
/// distribution? Matches SciPy's `mannwhitneyu(x, y)` defaults: exact p-value when there are
/// no ties and one sample has at most 8 values, otherwise the normal approximation with tie
/// and continuity correction.
public struct MannWhitneyU: Sendable, Equatable {
    /// U of the first sample: how many pairs (x, y) have x > y, ties counting one half.
    public let u: Double
    /// The two-sided p-value.
    public let p: Double
    /// Whether `p` comes from the exact null distribution rather than the approximation.
    public let exact: Bool

    /// Tests `x` against `y`; neither may be empty.
    public init(_ x: [Double], _ y: [Double]) {
        precondition(!x.isEmpty && !y.isEmpty, "Mann-Whitney U of an empty sample")
        let n1 = Double(x.count), n2 = Double(y.count), n = n1 + n2
        let (ranks, tieSizes) = Self.midranks(x + y)
        let u1 = ranks[..<x.count].reduce(0, +) - n1 * (n1 + 1) / 2
        let larger = max(u1, n1 * n2 - u1)
        u = u1
        if tieSizes.isEmpty, min(x.count, y.count) <= 8,
           let tail = Self.exactUpperTail(Int(larger), x.count, y.count) {
            p = min(1, 2 * tail)
            exact = true
        } else {
            let tieTerm = tieSizes.reduce(0) { $0 + $1 * $1 * $1 - $1 }
            let sigma = (n1 * n2 / 12 * ((n + 1) - tieTerm / (n * (n - 1)))).squareRoot()
            let z = (larger - n1 * n2 / 2 - 0.5) / sigma
            p = sigma > 0 ? min(1, erfc(z / 2.0.squareRoot())) : 1
            exact = false
        }
    }

    /// Ranks 1...n of `values` (ties share their mean rank) and the sizes of tied groups.
    private static func midranks(_ values: [Double]) -> (ranks: [Double], tieSizes: [Double]) {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var tieSizes: [Double] = []
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count, values[order[end]] == values[order[start]] { end += 1 }
            let rank = Double(start + end + 1) / 2
            for i in start..<end { ranks[order[i]] = rank }
            if end - start > 1 { tieSizes.append(Double(end - start)) }
            start = end
        }
        return (ranks, tieSizes)
    }

    /// P(U >= u) without ties for samples of sizes m and n, from the counts of arrangements by
    /// U (the coefficients of the Gaussian binomial [m+n choose m]); nil when the counts
    /// would exceed what a Double holds exactly.
    private static func exactUpperTail(_ u: Int, _ m: Int, _ n: Int) -> Double? {
        let small = min(m, n), large = max(m, n)
        let arrangements = (1...small).reduce(1.0) { $0 * Double(large + $1) / Double($1) }
        guard arrangements < 0x1p53 else { return nil }
        var counts = [Double](repeating: 0, count: small * large + small + 1)
        counts[0] = 1
        for i in 1...small {
            // Multiply by (1 - q^(large+i)), then divide by (1 - q^i).
            let shift = large + i
            for k in stride(from: counts.count - 1, through: shift, by: -1) { counts[k] -= counts[k - shift] }
            for k in i..<counts.count { counts[k] += counts[k - i] }
        }
        return counts[u...].reduce(0, +) / arrangements
    }
}
