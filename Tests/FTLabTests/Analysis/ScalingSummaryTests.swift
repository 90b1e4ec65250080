import Testing
import FTLabCore
import FTLabRunner
@testable import FTLabAnalysis

@Suite struct ScalingSummaryTests {
    /// GIL: 100 at 1 thread, 150 at 2. Free-threaded: 80 at 1 thread, 160 at 2; 15% more RSS.
    static func run(seed: UInt64 = 1) -> [ResultRow] {
        var noise = Noise(seed: seed)
        let gil2 = Setup.gil.with { $0.threads = 2 }
        let ft2 = Setup.freeThreaded.with { $0.threads = 2 }
        return Setup.gil.rows(throughput: noise.sample(count: 12, mean: 100, cv: 0.001), rssKiB: 20_000)
            + gil2.rows(throughput: noise.sample(count: 12, mean: 150, cv: 0.001), rssKiB: 20_000)
            + Setup.freeThreaded.rows(throughput: noise.sample(count: 12, mean: 80, cv: 0.001), rssKiB: 23_000)
            + ft2.rows(throughput: noise.sample(count: 12, mean: 160, cv: 0.001), rssKiB: 23_000)
            + [ft2.with { $0.threads = 4 }.notOK(.failed, process: 9, message: "crashed"),
               gil2.notOK(.timeout, process: 8, message: "")]
    }

    func figures(_ summary: ScalingSummary, build: String, threads: Int) -> ScalingFigures {
        summary.figures.first { $0.configuration.first.build == build && $0.configuration.first.threads == threads }!
    }

    @Test func derivedFigures() {
        let summary = ScalingSummary(rows: Self.run())
        let gil2 = figures(summary, build: "gil", threads: 2)
        #expect(abs(gil2.speedup! - 1.5) < 0.01)
        #expect(abs(gil2.efficiency! - 0.75) < 0.01)
        #expect(gil2.freeThreadedOverGIL == nil)
        let ft1 = figures(summary, build: "freethreaded", threads: 1)
        #expect(abs(ft1.speedup! - 1) < 1e-12)
        #expect(abs(ft1.freeThreadedOverGIL! - 0.8) < 0.01)
        let ft2 = figures(summary, build: "freethreaded", threads: 2)
        #expect(abs(ft2.speedup! - 2) < 0.01)
        #expect(abs(ft2.efficiency! - 1) < 0.01)
        #expect(abs(ft2.freeThreadedOverGIL! - 160.0 / 150) < 0.01)
        #expect(ft2.peakRSSKiB == 23_000)
        #expect(ft2.throughput!.n == 12)
        let failed = figures(summary, build: "freethreaded", threads: 4)
        #expect(failed.throughput == nil && failed.speedup == nil)
    }

    @Test func pep779Overheads() {
        let summary = ScalingSummary(rows: Self.run())
        #expect(summary.overheads.count == 1)
        let overhead = summary.overheads[0]
        #expect(overhead.workload == "log-processing" && overhead.pairs == 1)
        #expect(abs(overhead.singleThread - 0.2) < 0.01)
        #expect(abs(overhead.memory! - 0.15) < 1e-12)
    }

    @Test func processCounts() {
        let summary = ScalingSummary(rows: Self.run())
        #expect(summary.processes[.ok] == 16)
        #expect(summary.processes[.failed] == 1)
        #expect(summary.processes[.timeout] == 1)
    }

    @Test func textTable() {
        let text = ScalingSummary(rows: Self.run()).text()
        #expect(text.contains("log-processing / regex"))
        #expect(text.contains("lines/s"))
        #expect(text.contains("1.50x") && text.contains("75%"))
        #expect(text.contains("single-thread overhead 20.0% (over the 15% line)"))
        #expect(text.contains("peak-memory overhead 15.0% (within the 20% line)"))
        #expect(text.contains("Processes: 16 ok, 1 failed, 1 timed out"))
        #expect(!text.contains("\u{1B}"))
        #expect(ScalingSummary(rows: Self.run()).text(color: true).contains("\u{1B}[31m"))
        // Rows sorted by interpreter, then threads.
        let lines = text.split(separator: "\n")
        let rows = lines.filter { $0.hasPrefix("cpython") }.map { $0.split(separator: " ").prefix(2).joined(separator: " ") }
        #expect(rows == ["\(PinnedPair.gil) 1", "\(PinnedPair.gil) 2", "\(PinnedPair.freeThreaded) 1",
                         "\(PinnedPair.freeThreaded) 2", "\(PinnedPair.freeThreaded) 4"])
    }

    @Test func markdownTable() {
        let markdown = ScalingSummary(rows: Self.run()).markdown()
        #expect(markdown.contains("### log-processing / regex"))
        #expect(markdown.contains("| interpreter"))
        #expect(markdown.contains("- log-processing: single-thread overhead 20.0%"))
    }

    @Test func placementColumnOnlyWhenItVaries() {
        let plain = ScalingSummary(rows: Self.run()).text()
        #expect(!plain.contains("placement"))
        let pinned = Self.run().map { row in
            var row = row
            row.placement = "compact"
            return row
        }
        #expect(ScalingSummary(rows: Self.run() + pinned).text().contains("placement"))
    }

    /// Each workload keeps its own parameters: that they differ between workloads is no
    /// reason to repeat them on every row of every table.
    @Test func columnsVaryPerTableNotPerRun() {
        let other = Self.run().map { row in
            var row = row
            row.workload = "buffered-copy"
            row.params = "file_size=8M"
            return row
        }
        let text = ScalingSummary(rows: Self.run() + other).text()
        #expect(!text.contains("params") && !text.contains("file_size"))
    }

    @Test func pairsPreferTheSamePythonVersion() {
        var noise = Noise(seed: 2)
        let rows = Setup.gil.rows(throughput: noise.sample(count: 6, mean: 100, cv: 0.001))
            + Setup.gil.with { $0.interpreter = "cpython-3.14.0"; $0.pythonVersion = "3.14.0" }
                .rows(throughput: noise.sample(count: 6, mean: 200, cv: 0.001))
            + Setup.freeThreaded.rows(throughput: noise.sample(count: 6, mean: 80, cv: 0.001))
        let pairs = BuildPair.pairs(ConfigurationSamples.group(rows))
        #expect(pairs.count == 1)
        #expect(pairs[0].gil.first.pythonVersion == PinnedPair.version)
        #expect(abs(pairs[0].throughputRatio - 0.8) < 0.01)
    }

    /// A plain pair and a PGO pair of one release in one run: each build pairs within its own kind.
    @Test func plainAndPGOPairsOfOneReleasePairByLabel() {
        var noise = Noise(seed: 3)
        let pgo = { (setup: Setup) in setup.with { $0.interpreter += "-pgo" } }
        let rows = Setup.gil.rows(throughput: noise.sample(count: 6, mean: 100, cv: 0.001))
            + Setup.freeThreaded.rows(throughput: noise.sample(count: 6, mean: 80, cv: 0.001))
            + pgo(Setup.gil).rows(throughput: noise.sample(count: 6, mean: 120, cv: 0.001))
            + pgo(Setup.freeThreaded).rows(throughput: noise.sample(count: 6, mean: 108, cv: 0.001))
        let pairs = BuildPair.pairs(ConfigurationSamples.group(rows)).sorted { $0.gil.first.interpreter < $1.gil.first.interpreter }
        #expect(pairs.map { "\($0.freeThreaded.first.interpreter)/\($0.gil.first.interpreter)" }
            == ["\(PinnedPair.freeThreaded)/\(PinnedPair.gil)", "\(PinnedPair.freeThreaded)-pgo/\(PinnedPair.gil)-pgo"])
        #expect(abs(pairs[0].throughputRatio - 0.8) < 0.01 && abs(pairs[1].throughputRatio - 0.9) < 0.01)
        #expect(BuildPair.gilLabel(of: "cpython-3.13.5t-pgo") == "cpython-3.13.5-pgo")
        #expect(BuildPair.gilLabel(of: "cpython-3.13.5t") == "cpython-3.13.5")
        #expect(BuildPair.gilLabel(of: "/usr/bin/python3.13t") == nil)
    }
}
