import Testing
import FTLabCore
import FTLabRunner

@Suite struct BootstrapTests {
    /// The two-stage bootstrap written plainly: each resample's values gathered and sorted.
    /// A draw within a process picks its values in increasing order (the order the counting
    /// implementation keeps them in), with the same generator calls in the same order.
    static func plainInterval(_ processes: [[Double]], resamples: Int, level: Double, seed: UInt64) -> Interval {
        var generator = SeededGenerator(seed: seed)
        func uniform(_ n: Int) -> Int { Int(generator.next().multipliedFullWidth(by: UInt64(n)).high) }
        let ordered = processes.map { $0.sorted() }
        var medians: [Double] = []
        for _ in 0..<resamples {
            var drawn: [Double] = []
            for _ in ordered.indices {
                let process = ordered[ordered.count == 1 ? 0 : uniform(ordered.count)]
                for _ in process.indices { drawn.append(process[process.count == 1 ? 0 : uniform(process.count)]) }
            }
            drawn.sort()
            medians.append((drawn[(drawn.count - 1) / 2] + drawn[drawn.count / 2]) / 2)
        }
        medians.sort()
        let tail = (1 - level) / 2
        return Interval(low: Descriptive.quantile(sorted: medians, tail), high: Descriptive.quantile(sorted: medians, 1 - tail))
    }

    @Test("the counting bootstrap gives the plain one's interval exactly, for one process, many, ties and odd sizes")
    func countingEqualsPlain() {
        var noise = Noise(seed: 11)
        let samples: [[[Double]]] = [
            [noise.sample(count: 25, mean: 100, cv: 0.02)],
            (0..<7).map { index in noise.sample(count: 3 + index % 3, mean: 100 + Double(index), cv: 0.03) },
            (0..<40).map { index in noise.sample(count: 1 + index % 5, mean: 10, cv: 0.1).map { ($0 * 4).rounded() / 4 } },
            (0..<90).map { _ in noise.sample(count: 30, mean: 1e6, cv: 0.01) },
        ]
        for (index, processes) in samples.enumerated() {
            let bootstrap = Bootstrap(resamples: 300, seed: 0x5EED + UInt64(index))
            #expect(bootstrap.medianInterval(processes: processes)
                    == Self.plainInterval(processes, resamples: 300, level: 0.95, seed: 0x5EED + UInt64(index)), "sample \(index)")
        }
    }

    @Test func deterministicForASeed() {
        var noise = Noise(seed: 7)
        let values = noise.sample(count: 25, mean: 100, cv: 0.02)
        let other = noise.sample(count: 25, mean: 100, cv: 0.02)
        #expect(Bootstrap(seed: 1).medianInterval(values) == Bootstrap(seed: 1).medianInterval(values))
        #expect(Bootstrap(seed: 1).ratioOfMediansInterval(base: values, new: other)
            == Bootstrap(seed: 1).ratioOfMediansInterval(base: values, new: other))
    }

    @Test func intervalBracketsTheMedian() {
        var noise = Noise(seed: 3)
        let values = noise.sample(count: 31, mean: 50, cv: 0.05)
        let interval = Bootstrap().medianInterval(values)
        #expect(interval.contains(Descriptive.median(values)))
        #expect(interval.low >= values.min()! && interval.high <= values.max()!)
    }

    @Test func singleValueHasAZeroWidthInterval() {
        let summary = Summary([42])!
        #expect(summary.n == 1 && summary.ciLow == 42 && summary.ciHigh == 42)
        #expect(summary.relativeHalfWidth == 0)
        #expect(Summary([]) == nil)
        #expect(Summary([.nan]) == nil)
    }

    /// A 95% interval should contain the true median in roughly 95% of repeated experiments.
    @Test func medianIntervalCoverage() {
        var noise = Noise(seed: 11)
        let bootstrap = Bootstrap(resamples: 1000)
        let trials = 200
        let covered = (0..<trials).filter { _ in
            bootstrap.medianInterval(noise.sample(count: 20, mean: 100, cv: 0.02)).contains(100)
        }.count
        #expect((0.88...0.99).contains(Double(covered) / Double(trials)), "coverage \(covered)/\(trials)")
    }

    @Test func ratioIntervalCoverage() {
        var noise = Noise(seed: 12)
        let bootstrap = Bootstrap(resamples: 1000)
        let trials = 200
        let covered = (0..<trials).filter { _ in
            let base = noise.sample(count: 18, mean: 100, cv: 0.015)
            let new = noise.sample(count: 18, mean: 95, cv: 0.015)
            return bootstrap.ratioOfMediansInterval(base: base, new: new).contains(0.95)
        }.count
        #expect((0.88...0.99).contains(Double(covered) / Double(trials)), "coverage \(covered)/\(trials)")
    }

    @Test func relativeHalfWidth() {
        var noise = Noise(seed: 5)
        let summary = Summary(noise.sample(count: 60, mean: 1000, cv: 0.01))!
        #expect(summary.relativeHalfWidth > 0 && summary.relativeHalfWidth < 0.01)
        #expect(abs(summary.relativeHalfWidth - (summary.ciHigh - summary.ciLow) / 2 / summary.median) < 1e-15)
    }

    /// `count` processes of `samples` samples each: every process shifted by its own
    /// normal deviate (cv `between`), every sample by another (cv `within`).
    static func clustered(_ noise: inout Noise, count: Int, samples: Int, median: Double,
                          between: Double, within: Double) -> [[Double]] {
        (0..<count).map { _ in
            let shift = noise.normal(mean: 0, sd: median * between)
            return noise.sample(count: samples, mean: median, cv: within).map { $0 + shift }
        }
    }

    /// Processes that differ more than their samples do: resampling processes keeps the
    /// interval honest, while treating samples as independent (pseudo-replication) makes it
    /// too narrow to cover the true median as often as it claims.
    @Test func twoStageIntervalCoversClusteredData() {
        var noise = Noise(seed: 21)
        let bootstrap = Bootstrap(resamples: 1000)
        let trials = 200
        var twoStage = 0, independent = 0
        for _ in 0..<trials {
            let processes = Self.clustered(&noise, count: 8, samples: 4, median: 100, between: 0.05, within: 0.02)
            if bootstrap.medianInterval(processes: processes).contains(100) { twoStage += 1 }
            if bootstrap.medianInterval(processes.flatMap { $0 }).contains(100) { independent += 1 }
        }
        #expect((0.85...0.99).contains(Double(twoStage) / Double(trials)), "two-stage coverage \(twoStage)/\(trials)")
        #expect(Double(independent) / Double(trials) < 0.82, "independent coverage \(independent)/\(trials)")
    }

    @Test func ratioIntervalCoversClusteredData() {
        var noise = Noise(seed: 22)
        let bootstrap = Bootstrap(resamples: 1000)
        let trials = 200
        let covered = (0..<trials).filter { _ in
            let base = Self.clustered(&noise, count: 6, samples: 5, median: 100, between: 0.04, within: 0.02)
            let new = Self.clustered(&noise, count: 6, samples: 5, median: 90, between: 0.04, within: 0.02)
            return bootstrap.ratioOfMediansInterval(base: base, new: new).contains(0.9)
        }.count
        #expect((0.85...0.99).contains(Double(covered) / Double(trials)), "coverage \(covered)/\(trials)")
    }

    /// One process, or every value its own process, is the ordinary bootstrap.
    @Test func degenerateGroupingsAreTheOrdinaryBootstrap() {
        var noise = Noise(seed: 23)
        let values = noise.sample(count: 15, mean: 10, cv: 0.1)
        let one = Bootstrap(seed: 4).medianInterval(processes: [values])
        #expect(one == Bootstrap(seed: 4).medianInterval(values))
        let summary = Summary(processes: [[1, 2, .nan], [], [3, 4, 5]])!
        #expect(summary.n == 5 && summary.processes == 2 && summary.median == 3)
        #expect(Summary(values)!.processes == 15)
    }
}

@Suite("Bootstrap at scale")
struct BootstrapScaleTests {
    @Test("the resample count is kept up to 500 values, then cut to the draw budget, never below 500")
    func resampleBudget() {
        let bootstrap = Bootstrap()
        #expect(bootstrap.resamples(for: 18) == 2000)
        #expect(bootstrap.resamples(for: 500) == 2000)
        #expect(bootstrap.resamples(for: 1800) == Bootstrap.drawBudget / 1800)
        #expect(bootstrap.resamples(for: 1800) * 1800 <= Bootstrap.drawBudget)
        #expect(bootstrap.resamples(for: 8000) == Bootstrap.minimumResamples)
        #expect(Bootstrap(resamples: 100).resamples(for: 100_000) == 100, "a smaller count asked for is kept")
    }

    /// Hundreds of processes: the interval still brackets the median and stays narrow.
    @Test("three hundred processes of six samples: the cut interval brackets the median")
    func manyProcesses() {
        var noise = Noise(seed: 21)
        let processes = (0..<300).map { _ in noise.sample(count: 6, mean: noise.normal(mean: 100, sd: 1), cv: 0.02) }
        let summary = Summary(processes: processes)!
        #expect(summary.n == 1800 && summary.processes == 300)
        #expect(summary.ciLow <= summary.median && summary.median <= summary.ciHigh)
        #expect(summary.relativeHalfWidth < 0.01)
    }

    @Test("compare's shared draws give the same three intervals as drawing each alone", arguments: [(6, 5), (3, 300), (200, 3)])
    func comparisonIntervalsAreTheSeparateOnes(processes: Int, samples: Int) {
        var noise = Noise(seed: 5)
        let base = (0..<processes).map { _ in noise.sample(count: samples, mean: 100, cv: 0.03) }
        let new = (0..<processes).map { _ in noise.sample(count: samples, mean: 97, cv: 0.03) }
        let bootstrap = Bootstrap(seed: 9)
        let together = bootstrap.comparisonIntervals(base: base, new: new)
        #expect(together.base == bootstrap.medianInterval(processes: base))
        #expect(together.new == bootstrap.medianInterval(processes: new))
        #expect(together.ratio == bootstrap.ratioOfMediansInterval(base: base, new: new))
        // A side compared with itself (the new side's interval is the base's, not drawn again).
        let itself = bootstrap.comparisonIntervals(base: base, new: base)
        #expect(itself.new == bootstrap.medianInterval(processes: base) && itself.base == itself.new)
        #expect(itself.ratio == bootstrap.ratioOfMediansInterval(base: base, new: base))
    }
}

@Suite("Bootstrap draws kept for ratios")
struct BootstrapDrawsTests {
    /// Base and new sides of `processes` processes of `samples` samples each (new may differ).
    static func sides(_ base: (Int, Int), _ new: (Int, Int)) -> (base: [[Double]], new: [[Double]]) {
        var noise = Noise(seed: 31)
        return ((0..<base.0).map { _ in noise.sample(count: base.1, mean: 100, cv: 0.03) },
                (0..<new.0).map { _ in noise.sample(count: new.1, mean: 90, cv: 0.03) })
    }

    @Test("the kept draws give the median's interval drawn whole")
    func drawsGiveTheMedianInterval() {
        let base = Self.sides((7, 4), (1, 1)).base
        let bootstrap = Bootstrap(seed: 3)
        #expect(bootstrap.medianInterval(bootstrap.draws(processes: base)) == bootstrap.medianInterval(processes: base))
    }

    /// Equal resample counts continue from the base's draws; unequal ones (the budget cuts the
    /// larger side's count) draw the ratio whole; either way the interval is the one drawn whole.
    @Test("a ratio continuing its base's draws is the ratio drawn whole",
          arguments: [((6, 5), (6, 5)), ((3, 300), (3, 300)), ((300, 6), (4, 6)), ((4, 6), (300, 6))])
    func ratioContinuingTheDraws(base: (Int, Int), new: (Int, Int)) {
        let sides = Self.sides(base, new)
        let bootstrap = Bootstrap(seed: 9)
        let drawn = bootstrap.draws(processes: sides.base)
        #expect(bootstrap.ratioOfMediansInterval(base: sides.base, new: sides.new, reusing: drawn)
            == bootstrap.ratioOfMediansInterval(base: sides.base, new: sides.new))
    }

    @Test("draws of another seed are not reused")
    func otherSeedsDrawAgain() {
        let sides = Self.sides((5, 5), (5, 5))
        let drawn = Bootstrap(seed: 1).draws(processes: sides.base)
        let bootstrap = Bootstrap(seed: 2)
        #expect(bootstrap.ratioOfMediansInterval(base: sides.base, new: sides.new, reusing: drawn)
            == bootstrap.ratioOfMediansInterval(base: sides.base, new: sides.new))
        #expect(bootstrap.ratioOfMediansInterval(base: sides.base, new: sides.new, reusing: drawn)
            != Bootstrap(seed: 1).ratioOfMediansInterval(base: sides.base, new: sides.new))
    }

    @Test("draws are kept only when they take no more room than the sample: a median per value at most")
    func keptOnlyWhenSmall() {
        let bootstrap = Bootstrap(resamples: 100)
        #expect(bootstrap.draws(processes: [[1, 2, 3]]).worthKeeping(values: 3) == false)
        #expect(bootstrap.draws(processes: Array(repeating: [1, 2, 3, 4, 5], count: 20)).worthKeeping(values: 100))
    }
}
