import Testing
import FTLabCore
import FTLabRunner

@Suite struct DescriptiveTests {
    @Test func medianOfOddAndEvenCounts() {
        #expect(Descriptive.median([3, 1, 2]) == 2)
        #expect(Descriptive.median([4, 1, 3, 2]) == 2.5)
        #expect(Descriptive.median([7]) == 7)
        #expect(Descriptive.median([]).isNaN)
    }

    @Test func quantilesMatchNumPy() {
        // numpy.quantile([3,1,4,1,5,9,2,6], [0.1, 0.25, 0.5, 0.9]) = [1, 1.75, 3.5, 6.9]
        let values: [Double] = [3, 1, 4, 1, 5, 9, 2, 6]
        let expected = [1, 1.75, 3.5, 6.9]
        for (p, want) in zip([0.1, 0.25, 0.5, 0.9], expected) {
            #expect(abs(Descriptive.quantile(values, p) - want) < 1e-12)
        }
        #expect(Descriptive.quantile(values, 0) == 1)
        #expect(Descriptive.quantile(values, 1) == 9)
    }

    @Test func geometricMean() {
        #expect(abs(Descriptive.geometricMean([2, 8]) - 4) < 1e-12)
        #expect(abs(Descriptive.geometricMean([0.9, 1.1]) - 0.99.squareRoot()) < 1e-12)
        #expect(Descriptive.geometricMean([1, 0]).isNaN)
        #expect(Descriptive.geometricMean([]).isNaN)
    }
}

/// References from SciPy 1.17.1 `scipy.stats.mannwhitneyu(x, y)` (two-sided, defaults).
@Suite struct MannWhitneyUTests {
    @Test func exactWhenSmallWithoutTies() {
        // Complete separation: U = 0, p = 2 / C(11, 5) = 2 / 462.
        let test = MannWhitneyU([1.1, 2.2, 3.3, 4.4, 5.5], [6.6, 7.7, 8.8, 9.9, 10.1, 11.2])
        #expect(test.u == 0)
        #expect(test.exact)
        #expect(abs(test.p - 0.004329004329004329) < 1e-15)
    }

    @Test func exactWithOverlap() {
        let test = MannWhitneyU([3.1, 1.2, 5.7, 4.4, 9.0], [2.5, 6.1, 7.3, 8.8, 0.4, 10.2, 11.9])
        #expect(test.u == 12)
        #expect(test.exact)
        #expect(abs(test.p - 0.4318181818181819) < 1e-12)
    }

    @Test func exactWithOneTinySample() {
        let y = (3...31).map { Double($0) + 0.5 } + [2.0]
        let test = MannWhitneyU([1.5, 2.5], y)
        #expect(test.u == 1)
        #expect(abs(test.p - 0.008064516129032258) < 1e-12)
    }

    @Test func normalApproximationWithTies() {
        let test = MannWhitneyU([1, 2, 2, 3, 3, 3, 4, 5], [2, 3, 4, 4, 5, 5, 6, 6, 7])
        #expect(test.u == 13.5)
        #expect(!test.exact)
        #expect(abs(test.p - 0.03175895714806371) < 1e-12)
    }

    @Test func normalApproximationForLargerSamples() {
        let x = [100.0, 100.37, 100.74, 101.11, 101.48, 101.85, 102.22, 102.59, 102.96, 103.33, 103.7,
                 104.07, 104.44, 104.81, 105.18, 105.55, 105.92, 106.29, 106.66, 100.03]
        let y = [101.0, 101.53, 102.06, 102.59, 103.12, 103.65, 104.18, 104.71, 105.24, 105.77, 101.3,
                 101.83, 102.36, 102.89, 103.42, 103.95, 104.48, 105.01]
        let test = MannWhitneyU(x, y)
        #expect(test.u == 173.5)
        #expect(abs(test.p - 0.8607486824776638) < 1e-12)

        let shifted = MannWhitneyU((0..<20).map(Double.init), (5..<25).map { Double($0) + 0.5 })
        #expect(shifted.u == 105)
        #expect(abs(shifted.p - 0.010581211443165648) < 1e-12)
    }

    @Test func allValuesTiedGivesOne() {
        #expect(MannWhitneyU([5, 5, 5, 5, 5, 5], [5, 5, 5, 5, 5, 5, 5]).p == 1)
    }
}
