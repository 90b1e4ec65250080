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
///
/// The cost per interval is bounded: a resample draws one value per value of the data, so an
/// interval's side costs resamples x n draws. Past `drawBudget` (1 million draws) the resample
/// count shrinks to fit it, but never below `minimumResamples` (500): up to 500 values per
/// configuration (the committed runs have 18) every interval has the full 2000 resamples;
/// from 500 to 2000 values (hundreds of processes) the draws stay at 1 million, the count
/// falling to 500; past 2000 values the count stays 500 and the cost grows with n. Measured in
/// a release build on a 2-CPU AMD EPYC VM (a CPU profile of `compare` over 223,200 rows, 1800
/// values per configuration): about 1.4 ns a draw, so a side costs at most about 1.5 ms up to
/// 2000 values, and `compare` of one metric (three sides) about 4-5 ms of CPU per configuration.
public struct Bootstrap: Sendable {
    /// How many resamples to draw (per side, for a ratio); 2000 is ample for a 95% interval.
    /// Large samples draw fewer (`resamples(for:)`).
    public var resamples: Int
    /// The most draws (values x resamples) one interval's side may take before the resample
    /// count is cut.
    public static let drawBudget = 1_000_000
    /// The fewest resamples the budget may cut to.
    public static let minimumResamples = 500
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
        let count = resamples(for: processes.reduce(0) { $0 + $1.count })
        return percentileInterval(resampledMedians(processes, count: count, using: &generator))
    }

    /// The intervals `compare` needs for one metric: the median's of each side and the ratio's,
    /// equal to `medianInterval(processes: base)`, `medianInterval(processes: new)` and
    /// `ratioOfMediansInterval(base:new:)`; the base side's resamples, the same in the first and
    /// the last, are drawn once.
    public func comparisonIntervals(base: [[Double]], new: [[Double]]) -> (base: Interval, new: Interval, ratio: Interval) {
        let baseCount = resamples(for: base.reduce(0) { $0 + $1.count })
        let newCount = resamples(for: new.reduce(0) { $0 + $1.count })
        guard baseCount == newCount else {
            return (medianInterval(processes: base), medianInterval(processes: new), ratioOfMediansInterval(base: base, new: new))
        }
        var generator = SeededGenerator(seed: seed)
        let baseMedians = resampledMedians(base, count: baseCount, using: &generator)
        let ratioNew = resampledMedians(new, count: baseCount, using: &generator)
        let baseInterval = percentileInterval(baseMedians)
        // The new side's interval is drawn from the same seed as the base's: equal samples (a
        // file compared with itself) give the base's interval, without drawing it again.
        return (baseInterval, new == base ? baseInterval : medianInterval(processes: new),
                percentileInterval(zip(ratioNew, baseMedians).map { $0 / $1 }))
    }

    /// The resamples drawn for a sample of `values` values: `resamples`, cut so that
    /// values x resamples stays within `drawBudget`, but not below `minimumResamples`.
    public func resamples(for values: Int) -> Int {
        guard values > 0, values * resamples > Self.drawBudget else { return resamples }
        return min(resamples, max(Self.minimumResamples, Self.drawBudget / values))
    }

    /// The resamples of one sample as ``medianInterval(processes:)`` draws them, kept so that
    /// a ratio over the same sample need not draw them again: ``ratioOfMediansInterval(base:new:)``
    /// draws its base first, from the same seed, so where the resample count is the same its
    /// base's medians are these and its new side continues from ``generator``.
    public struct Draws: Sendable {
        /// The seed they were drawn with.
        let seed: UInt64
        /// The medians of the resamples, in the order drawn.
        let medians: [Double]
        /// The generator as the last draw left it.
        let generator: SeededGenerator

        /// Whether keeping them costs no more memory than the sample does (a median per
        /// value at most); smaller samples are cheap to draw again.
        public func worthKeeping(values: Int) -> Bool { medians.count <= values }
    }

    /// The resamples ``medianInterval(processes:)`` draws for `processes` (at least one value).
    public func draws(processes: [[Double]]) -> Draws {
        var generator = SeededGenerator(seed: seed)
        let medians = resampledMedians(processes, count: resamples(for: processes.reduce(0) { $0 + $1.count }),
                                       using: &generator)
        return Draws(seed: seed, medians: medians, generator: generator)
    }

    /// The confidence interval of the median from its `draws`: `medianInterval(processes:)` of
    /// the sample they were drawn from.
    public func medianInterval(_ draws: Draws) -> Interval {
        percentileInterval(draws.medians)
    }

    /// `ratioOfMediansInterval(base:new:)`, continuing from `drawn`, the draws of `base`
    /// (``draws(processes:)``), where they are the ones it would make; else drawn whole.
    public func ratioOfMediansInterval(base: [[Double]], new: [[Double]], reusing drawn: Draws?) -> Interval {
        let count = resamples(for: max(base.reduce(0) { $0 + $1.count }, new.reduce(0) { $0 + $1.count }))
        guard let drawn, drawn.seed == seed, drawn.medians.count == count else {
            return ratioOfMediansInterval(base: base, new: new)
        }
        var generator = drawn.generator
        let newMedians = resampledMedians(new, count: count, using: &generator)
        return percentileInterval(zip(newMedians, drawn.medians).map { $0 / $1 })
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
        let count = resamples(for: max(base.reduce(0) { $0 + $1.count }, new.reduce(0) { $0 + $1.count }))
        let baseMedians = resampledMedians(base, count: count, using: &generator)
        let newMedians = resampledMedians(new, count: count, using: &generator)
        return percentileInterval(zip(newMedians, baseMedians).map { $0 / $1 })
    }

    private func percentileInterval(_ estimates: [Double]) -> Interval {
        let sorted = estimates.sorted()
        let tail = (1 - level) / 2
        return Interval(low: Descriptive.quantile(sorted: sorted, tail),
                        high: Descriptive.quantile(sorted: sorted, 1 - tail))
    }

    /// The medians of `count` two-stage resamples of `processes`: as many processes as
    /// there are, drawn with replacement, and from each drawn process as many of its samples
    /// as it has, drawn with replacement.
    private func resampledMedians(_ processes: [[Double]], count resamples: Int,
                                  using generator: inout SeededGenerator) -> [Double] {
        let processes = processes.filter { !$0.isEmpty }
        precondition(!processes.isEmpty, "bootstrap of an empty sample")
        // Sort all values once. Each process's values take consecutive slots (process p's at
        // starts[p] ..< starts[p + 1]), in increasing order; slotOfRank[r] is the slot of the
        // value of rank r, so a draw counts its slot, and the median walks the slots in rank order.
        let pooled = processes.enumerated().flatMap { process, values in values.map { (value: $0, process: process) } }
        let order = pooled.indices.sorted { pooled[$0].value < pooled[$1].value }
        let sorted = order.map { pooled[$0].value }
        var starts = [0]
        for values in processes { starts.append(starts.last! + values.count) }
        var slotOfRank = [Int](repeating: 0, count: sorted.count)
        var filled = Array(starts.dropLast())
        for (rank, index) in order.enumerated() {
            slotOfRank[rank] = filled[pooled[index].process]
            filled[pooled[index].process] += 1
        }

        let processCount = processes.count
        // How often each slot was drawn: a drawn process's draws fall in its own few slots,
        // which stay in cache, however many values there are.
        var hits = [UInt32](repeating: 0, count: sorted.count)
        var medians: [Double] = []
        medians.reserveCapacity(resamples)
        slotOfRank.withUnsafeBufferPointer { slotOfRank in
            starts.withUnsafeBufferPointer { starts in
                sorted.withUnsafeBufferPointer { sorted in
                    hits.withUnsafeMutableBufferPointer { hits in
                        func uniform(_ n: Int) -> Int {
                            // Multiply-shift maps 64 random bits onto 0..<n (bias below n / 2^64).
                            Int(generator.next().multipliedFullWidth(by: UInt64(n)).high)
                        }
                        for _ in 0..<resamples {
                            hits.update(repeating: 0)
                            var drawn = 0
                            for _ in 0..<processCount {
                                let process = processCount == 1 ? 0 : uniform(processCount)
                                let start = starts[process], count = starts[process + 1] - start
                                for _ in 0..<count {
                                    hits[start + (count == 1 ? 0 : uniform(count))] &+= 1
                                }
                                drawn += count
                            }
                            // 0-based ranks of the middle order statistics of what was drawn (equal when odd).
                            let lowRank = (drawn - 1) / 2, highRank = drawn / 2
                            var index = 0
                            var seen = Int(hits[slotOfRank[0]])
                            while seen <= lowRank {
                                index += 1
                                seen += Int(hits[slotOfRank[index]])
                            }
                            let low = sorted[index]
                            while seen <= highRank {
                                index += 1
                                seen += Int(hits[slotOfRank[index]])
                            }
                            medians.append((low + sorted[index]) / 2)
                        }
                    }
                }
            }
        }
        return medians
    }
}
