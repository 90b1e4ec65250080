/// A confidence interval `low...high` (for a median, or for a ratio of medians).
public struct Interval: Sendable, Equatable, Codable {
    public let low: Double
    public let high: Double

    public init(low: Double, high: Double) {
        self.low = low
        self.high = high
    }

    /// Whether `value` lies inside the interval (bounds included).
    public func contains(_ value: Double) -> Bool {
        low <= value && value <= high
    }
}

/// Percentile-bootstrap confidence intervals of medians and of ratios of medians.
///
/// Deterministic: the same data and seed always give the same interval. Each resample's
/// median is found by counting how often each order statistic was drawn, so one interval
/// costs O(resamples x n) with no sorting of resamples: with the default 2000 resamples, a
/// sample of 60 takes well under a millisecond in a release build.
public struct Bootstrap: Sendable {
    /// How many resamples to draw (per side, for a ratio); 2000 is ample for a 95% interval.
    public var resamples: Int
    /// The coverage of the interval (0.95 for a 95% interval).
    public var level: Double
    /// The seed of the resampling generator.
    public var seed: UInt64

    public init(resamples: Int = 2000, level: Double = 0.95, seed: UInt64 = 0x5EED) {
        precondition(resamples > 0 && level > 0 && level < 1)
        self.resamples = resamples
        self.level = level
        self.seed = seed
    }

    /// The confidence interval of the median of `values` (which must not be empty).
    public func medianInterval(_ values: [Double]) -> Interval {
        var generator = SeededGenerator(seed: seed)
        return percentileInterval(resampledMedians(values, using: &generator))
    }

    /// The confidence interval of `median(new) / median(base)`, resampling each side
    /// independently (the two samples come from different processes). Neither may be empty.
    public func ratioOfMediansInterval(base: [Double], new: [Double]) -> Interval {
        var generator = SeededGenerator(seed: seed)
        let baseMedians = resampledMedians(base, using: &generator)
        let newMedians = resampledMedians(new, using: &generator)
        return percentileInterval(zip(newMedians, baseMedians).map { $0 / $1 })
    }

    private func percentileInterval(_ estimates: [Double]) -> Interval {
        let sorted = estimates.sorted()
        let tail = (1 - level) / 2
        return Interval(low: Descriptive.quantile(sorted: sorted, tail),
                        high: Descriptive.quantile(sorted: sorted, 1 - tail))
    }

    /// The medians of `resamples` resamples (with replacement, same size) of `values`.
    private func resampledMedians(_ values: [Double], using generator: inout SeededGenerator) -> [Double] {
        precondition(!values.isEmpty, "bootstrap of an empty sample")
        let sorted = values.sorted()
        let n = sorted.count
        // 0-based ranks of the middle order statistics (equal when n is odd).
        let lowRank = (n - 1) / 2
        let highRank = n / 2
        var hits = [Int](repeating: 0, count: n)
        var medians: [Double] = []
        medians.reserveCapacity(resamples)
        hits.withUnsafeMutableBufferPointer { hits in
            for _ in 0..<resamples {
                hits.update(repeating: 0)
                for _ in 0..<n {
                    // Multiply-shift maps 64 random bits onto 0..<n (bias below n / 2^64).
                    hits[Int(generator.next().multipliedFullWidth(by: UInt64(n)).high)] += 1
                }
                var index = 0
                var seen = hits[0]
                while seen <= lowRank {
                    index += 1
                    seen += hits[index]
                }
                let low = sorted[index]
                while seen <= highRank {
                    index += 1
                    seen += hits[index]
                }
                medians.append((low + sorted[index]) / 2)
            }
        }
        return medians
    }
}
