import Testing
import FTLabCore
import FTLabRunner
import FTLabAnalysis

@Suite struct CompareOptionsTests {
    @Test func thresholdAsPercentageOrFraction() throws {
        #expect(try ComparisonOptions(threshold: "5%", ignore: nil, metrics: nil).threshold == 0.05)
        #expect(try ComparisonOptions(threshold: "2.5%", ignore: nil, metrics: nil).threshold == 0.025)
        #expect(try ComparisonOptions(threshold: "0.05", ignore: nil, metrics: nil).threshold == 0.05)
        #expect(try ComparisonOptions(threshold: "0", ignore: nil, metrics: nil).threshold == 0)
    }

    @Test(arguments: ["5", "1", "100%", "-1%", "abc", "", "5 %%"])
    func badThresholdsAreRefused(text: String) {
        #expect(throws: CompareError.badThreshold(text)) {
            try ComparisonOptions(threshold: text, ignore: nil, metrics: nil)
        }
        #expect(CompareError.badThreshold(text).exitCode == 2)
    }

    @Test func ignoredColumnsAreValidated() throws {
        let options = try ComparisonOptions(threshold: "5%", ignore: "interpreter, python_version", metrics: nil)
        #expect(options.ignoring == ["interpreter", "python_version"])
        let error = CompareError.unknownColumn("host", valid: ResultRow.configurationColumns)
        #expect(throws: error) {
            try ComparisonOptions(threshold: "5%", ignore: "interpreter,host", metrics: nil)
        }
        #expect(error.description.contains("\"host\""))
        #expect(error.description.contains("workload, variant, params, interpreter"))
    }

    @Test func metricsAreValidated() throws {
        let options = try ComparisonOptions(threshold: "5%", ignore: nil, metrics: "throughput,latency_p99_us")
        #expect(options.metrics == [.throughput, .latencyP99])
        #expect(try ComparisonOptions(threshold: "5%", ignore: nil, metrics: nil).metrics == Metric.allCases)
        #expect(throws: CompareError.unknownMetric("p99", valid: Metric.allCases.map(\.rawValue))) {
            try ComparisonOptions(threshold: "5%", ignore: nil, metrics: "p99")
        }
    }

    @Test func colorOnlyOnATerminalWithoutNoColor() {
        // An invalid descriptor is never a terminal.
        #expect(!TerminalStyle.colorEnabled(for: -1, environment: [:]))
        #expect(!TerminalStyle.colorEnabled(for: -1, environment: ["NO_COLOR": ""]))
    }
}
