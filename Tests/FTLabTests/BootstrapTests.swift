import Testing
@testable import FTLab

@Suite struct BootstrapTests {
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
}
