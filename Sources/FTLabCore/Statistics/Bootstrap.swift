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
/// Samples of one process are not independent: they share its address-space layout, hash
/// seed, CPU placement and the machine's state while it ran, so the spread between processes
/// is usually as large as the spread within one. Treating every sample as independent
/// (pseudo-replication) gives intervals far too narrow. The intervals here therefore come
/// from a two-stage (hierarchical) bootstrap: each resample draws whole processes with
/// replacement, then samples with replacement within each drawn process, and takes the
/// median of what it drew. With one process, or with every value its own process, this is
/// the ordinary bootstrap.
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

    /// The confidence interval of the median of independent `values` (which must not be empty).
    public func medianInterval(_ values: [Double]) -> Interval {
        medianInterval(processes: [values])
    }

    /// The confidence interval of the median of all values of `processes` (the samples of
    /// each process, at least one value in all), resampling processes, then samples.
    public func medianInterval(processes: [[Double]]) -> Interval {
        var generator = SeededGenerator(seed: seed)
        return percentileInterval(resampledMedians(processes, using: &generator))
    }

    /// The confidence interval of `median(new) / median(base)` for independent values,
    /// resampling each side independently. Neither may be empty.
    public func ratioOfMediansInterval(base: [Double], new: [Double]) -> Interval {
        ratioOfMediansInterval(base: [base], new: [new])
    }

    /// The confidence interval of `median(new) / median(base)`, each side given as the
    /// samples of its processes and resampled in two stages, independently of the other.
    public func ratioOfMediansInterval(base: [[Double]], new: [[Double]]) -> Interval {
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

    /// The medians of `resamples` two-stage resamples of `processes`: as many processes as
    /// there are, drawn with replacement, and from each drawn process as many of its samples
    /// as it has, drawn with replacement.
    private func resampledMedians(_ processes: [[Double]], using generator: inout SeededGenerator) -> [Double] {
        let processes = processes.filter { !$0.isEmpty }
        precondition(!processes.isEmpty, "bootstrap of an empty sample")
        // Sort all values once; each process keeps the ranks of its values in that order.
        let pooled = processes.enumerated().flatMap { process, values in values.map { (value: $0, process: process) } }
        let order = pooled.indices.sorted { pooled[$0].value < pooled[$1].value }
        let sorted = order.map { pooled[$0].value }
        var ranks = [[Int]](repeating: [], count: processes.count)
        for (rank, index) in order.enumerated() { ranks[pooled[index].process].append(rank) }

        func uniform(_ n: Int) -> Int {
            // Multiply-shift maps 64 random bits onto 0..<n (bias below n / 2^64).
            Int(generator.next().multipliedFullWidth(by: UInt64(n)).high)
        }
        var hits = [Int](repeating: 0, count: sorted.count)
        var medians: [Double] = []
        medians.reserveCapacity(resamples)
        for _ in 0..<resamples {
            for i in hits.indices { hits[i] = 0 }
            var drawn = 0
            for _ in 0..<processes.count {
                let processRanks = ranks[processes.count == 1 ? 0 : uniform(processes.count)]
                for _ in 0..<processRanks.count {
                    hits[processRanks[processRanks.count == 1 ? 0 : uniform(processRanks.count)]] += 1
                }
                drawn += processRanks.count
            }
            // 0-based ranks of the middle order statistics of what was drawn (equal when odd).
            let lowRank = (drawn - 1) / 2, highRank = drawn / 2
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
        return medians
    }
}
