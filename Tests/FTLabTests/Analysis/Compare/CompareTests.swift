import Foundation
import Testing
import FTLabCore
import FTLabRunner
import FTLabAnalysis

@Suite struct CompareTests {
    /// Six configurations (two builds x 1, 2, 4 threads), `count` samples each, with
    /// throughput scaled by `factor` and p99 latency divided by it.
    static func run(seed: UInt64, factor: Double = 1, cv: Double = 0.015, count: Int = 18,
                    interpreterSuffix: String = "") -> [ResultRow] {
        var noise = Noise(seed: seed)
        return [Setup.gil, Setup.freeThreaded].flatMap { setup in
            [1, 2, 4].flatMap { threads in
                let mean = 1000.0 * Double(threads)
                return setup.with { $0.threads = threads; $0.interpreter += interpreterSuffix }.rows(
                    throughput: noise.sample(count: count, mean: mean * factor, cv: cv),
                    latencyP99: noise.sample(count: count, mean: 200 / factor, cv: cv))
            }
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func aaComparisonIsClean(seed: UInt64) throws {
        let comparison = try Comparison(base: Self.run(seed: seed), new: Self.run(seed: seed + 100),
                                        baseFile: "a.csv", newFile: "b.csv")
        #expect(comparison.results.count == 12)
        #expect(comparison.results.allSatisfy { $0.verdict == .same })
        #expect(comparison.exitCode == 0)
    }

    @Test("a file compared with itself, read once for both sides, compares as it did read twice")
    func sameFileReadOnce() throws {
        let rows = Self.run(seed: 7) + Self.run(seed: 8, interpreterSuffix: "-b")
        let options = ComparisonOptions(threshold: 0.02)
        var base = ComparisonSide.base(file: "a.csv", options: options)
        for row in rows { base.add(row) }
        let new = try #require(base.asNewSideOfTheSameFile(options: options))
        let once = try Comparison(base: base, new: new, options: options)
        let twice = try Comparison(base: rows, new: rows, baseFile: "a.csv", newFile: "a.csv", options: options)
        #expect(once.rendered(as: .json, color: false) == twice.rendered(as: .json, color: false))
        #expect(once.results.count == 24 && once.results.allSatisfy { $0.ratio == 1 })
        let selecting = try ComparisonOptions(threshold: "2%", ignore: nil, metrics: nil, base: "build=gil", new: "build=freethreaded")
        #expect(ComparisonSide.base(file: "a.csv", options: selecting).asNewSideOfTheSameFile(options: selecting) == nil)
    }

    /// With no threshold the CI alone decides: an A/A comparison should then call about 5%
    /// of comparisons significant, and certainly not most of them.
    @Test func aaFalsePositivesWithoutThresholdAreRare() throws {
        var flagged = 0, total = 0
        for seed: UInt64 in 1...5 {
            let comparison = try Comparison(base: Self.run(seed: seed), new: Self.run(seed: seed + 100),
                                            baseFile: "a", newFile: "b", options: ComparisonOptions(threshold: 0))
            flagged += comparison.results.filter { $0.verdict != .same }.count
            total += comparison.results.count
        }
        #expect(Double(flagged) / Double(total) <= 0.15, "\(flagged)/\(total)")
    }

    /// Processes that differ (cv 4%) more than their samples do (cv 1%), as on a shared
    /// machine: resampling whole processes keeps an A/A comparison without threshold near
    /// its nominal 5% false-positive rate, where treating samples as independent cries wolf.
    @Test func aaWithProcessToProcessSpreadStaysCalibrated() throws {
        func run(_ seed: UInt64) -> [ResultRow] {
            var noise = Noise(seed: seed)
            return [Setup.gil, Setup.freeThreaded].flatMap { setup in
                [1, 2, 4].flatMap { threads in
                    let processes = BootstrapTests.clustered(&noise, count: 6, samples: 3, median: 1000,
                                                             between: 0.04, within: 0.01)
                    return setup.with { $0.threads = threads }.rows(throughput: processes.flatMap { $0 })
                }
            }
        }
        var flagged = 0, flaggedIfIndependent = 0, total = 0
        for seed: UInt64 in 1...8 {
            let base = run(seed), new = run(seed + 100)
            let comparison = try Comparison(base: base, new: new, baseFile: "a", newFile: "b",
                                            options: ComparisonOptions(threshold: 0))
            flagged += comparison.results.filter { $0.verdict != .same }.count
            total += comparison.results.count
            let baseGroups = ConfigurationSamples.group(base), newGroups = ConfigurationSamples.group(new)
            for (b, n) in zip(baseGroups, newGroups) {
                let interval = Bootstrap().ratioOfMediansInterval(base: b.values(\.throughput), new: n.values(\.throughput))
                if !interval.contains(1) { flaggedIfIndependent += 1 }
            }
        }
        #expect(total == 48)
        #expect(Double(flagged) / Double(total) <= 0.15, "\(flagged)/\(total)")
        #expect(flaggedIfIndependent > 2 * max(flagged, 3), "independent: \(flaggedIfIndependent)/\(total)")
    }

    /// One file holding both sides (a run with `--ab-env`): each side's rows are picked by
    /// a column's value, and that column is left out when pairing.
    @Test func selectionsSplitOneFile() throws {
        let plain = Self.run(seed: 1)
        let debug = Self.run(seed: 2, factor: 0.8).map { row in
            var row = row
            row.env = "PYTHONMALLOC=malloc_debug"
            return row
        }
        let options = try ComparisonOptions(threshold: "5%", ignore: nil, metrics: "throughput",
                                            base: "env=", new: "env=PYTHONMALLOC=malloc_debug")
        let comparison = try Comparison(base: plain + debug, new: plain + debug, baseFile: "ab.csv", newFile: "ab.csv",
                                        options: options)
        #expect(comparison.results.count == 6 && comparison.results.allSatisfy { $0.verdict == .slower })
        #expect(comparison.ignored == ["env"] && comparison.onlyInBase.isEmpty && comparison.onlyInNew.isEmpty)
        #expect(comparison.text().hasPrefix("ab.csv [env=] -> ab.csv [env=PYTHONMALLOC=malloc_debug]: "))
        #expect(throws: CompareError.noRowsSelected(option: "--new", file: "ab.csv", column: "env", value: "X=1", present: [""])) {
            try Comparison(base: plain, new: plain, baseFile: "ab.csv", newFile: "ab.csv",
                           options: ComparisonOptions(baseSelection: RowSelection(column: "env", value: ""),
                                                      newSelection: RowSelection(column: "env", value: "X=1")))
        }
        #expect(throws: CompareError.badSelection(option: "--base", "env")) {
            try RowSelection(parsing: "env", option: "--base")
        }
        #expect(throws: CompareError.unknownSelectionColumn(option: "--new", "colour", valid: ResultRow.configurationColumns)) {
            try RowSelection(parsing: "colour=red", option: "--new")
        }
        #expect(try RowSelection(parsing: "env=A=1", option: "--new") == RowSelection(column: "env", value: "A=1"))
    }

    /// A `same` from noisy data does not rule out a regression of the threshold's size: it
    /// is marked inconclusive, with the processes a side that would resolve it.
    @Test func noisySameIsInconclusive() throws {
        let tight = try Comparison(base: Self.run(seed: 1), new: Self.run(seed: 101), baseFile: "a", newFile: "b")
        #expect(tight.results.allSatisfy(\.conclusive) && tight.processesToResolve == nil)
        #expect(!tight.text().contains("Inconclusive"))
        let noisy = try Comparison(base: Self.run(seed: 1, cv: 0.15), new: Self.run(seed: 101, cv: 0.15),
                                   baseFile: "a", newFile: "b", options: ComparisonOptions(metrics: [.throughput]))
        let same = noisy.results.filter { $0.verdict == .same }
        #expect(!same.isEmpty && same.allSatisfy { !$0.conclusive })
        #expect(noisy.inconclusive.count == same.count)
        // 6 processes a side with CIs of roughly ±10%: about 6 x (10% / 5%)^2 = 24 would do.
        let needed = try #require(noisy.processesToResolve)
        #expect((10...200).contains(needed), "\(needed)")
        let text = noisy.text()
        #expect(text.contains("Inconclusive: `same`, but the 95% CI reaches past ±5.0%"))
        #expect(text.contains("about \(needed) processes a side (--processes) would narrow these CIs to ±5.0%"))
        #expect(noisy.csv().split(separator: "\n")[0].hasSuffix(",conclusive,verdict"))
        #expect(noisy.json().contains("\"conclusive\" : false"))
        let anyChange = try Comparison(base: Self.run(seed: 1, cv: 0.15), new: Self.run(seed: 101, cv: 0.15),
                                       baseFile: "a", newFile: "b", options: ComparisonOptions(threshold: 0))
        #expect(anyChange.results.allSatisfy(\.conclusive) && anyChange.processesToResolve == nil)
        #expect(!anyChange.text().contains("Inconclusive"))
    }

    @Test func fewProcessesWarn() throws {
        var noise = Noise(seed: 9)
        let base = Setup.gil.rows(throughput: noise.sample(count: 6, mean: 100, cv: 0.01))
        let new = Setup.gil.rows(throughput: noise.sample(count: 9, mean: 100, cv: 0.01))
        let comparison = try Comparison(base: base, new: new, baseFile: "a.csv", newFile: "b.csv")
        #expect(comparison.results[0].base.processes == 2 && comparison.results[0].new.processes == 3)
        #expect(comparison.warnings.count == 1)
        #expect(comparison.warnings[0].hasPrefix("a.csv: log-processing/regex") && comparison.warnings[0].contains("2 ok process(es)"))
    }

    /// A true 5% slowdown sits on a 5% threshold, so its point estimate falls either side by
    /// chance; a threshold below the real change catches it every time.
    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func fivePercentSlowdownIsCaught(seed: UInt64) throws {
        let comparison = try Comparison(base: Self.run(seed: seed), new: Self.run(seed: seed + 100, factor: 0.95),
                                        baseFile: "a", newFile: "b", options: ComparisonOptions(threshold: 0.03))
        #expect(comparison.results.allSatisfy { $0.verdict == .slower })
        #expect(comparison.results.allSatisfy { $0.pValue < 0.01 })
        #expect(comparison.exitCode == 1)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func eightPercentSlowdownIsCaughtAtTheDefaultThreshold(seed: UInt64) throws {
        let comparison = try Comparison(base: Self.run(seed: seed), new: Self.run(seed: seed + 100, factor: 0.92),
                                        baseFile: "a", newFile: "b")
        #expect(comparison.results.allSatisfy { $0.verdict == .slower })
        #expect(comparison.exitCode == 1)
    }

    @Test(arguments: [1, 2, 3, 4, 5] as [UInt64])
    func threePercentSlowdownIsBelowAFivePercentThreshold(seed: UInt64) throws {
        let comparison = try Comparison(base: Self.run(seed: seed), new: Self.run(seed: seed + 100, factor: 0.97),
                                        baseFile: "a", newFile: "b")
        #expect(comparison.results.allSatisfy { $0.verdict == .same })
        #expect(comparison.exitCode == 0)
        // The change is real: without a threshold the intervals exclude 1.
        let strict = try Comparison(base: Self.run(seed: seed), new: Self.run(seed: seed + 100, factor: 0.97),
                                    baseFile: "a", newFile: "b", options: ComparisonOptions(threshold: 0))
        #expect(strict.results.allSatisfy { $0.verdict == .slower })
    }

    @Test func speedupIsFasterAndNotARegression() throws {
        let comparison = try Comparison(base: Self.run(seed: 1), new: Self.run(seed: 2, factor: 1.1),
                                        baseFile: "a", newFile: "b")
        #expect(comparison.results.allSatisfy { $0.verdict == .faster })
        #expect(comparison.exitCode == 0)
    }

    @Test func latencyIsBetterLower() throws {
        var noise = Noise(seed: 9)
        let base = Setup.gil.rows(throughput: noise.sample(count: 18, mean: 1000, cv: 0.01),
                                  latencyP99: noise.sample(count: 18, mean: 200, cv: 0.01))
        let new = Setup.gil.rows(throughput: noise.sample(count: 18, mean: 1000, cv: 0.01),
                                 latencyP99: noise.sample(count: 18, mean: 220, cv: 0.01))
        let comparison = try Comparison(base: base, new: new, baseFile: "a", newFile: "b")
        #expect(comparison.results.map(\.metric) == [.throughput, .latencyP99])
        #expect(comparison.results.map(\.verdict) == [.same, .slower])
        #expect(comparison.exitCode == 1)
        let throughputOnly = try Comparison(base: base, new: new, baseFile: "a", newFile: "b",
                                            options: ComparisonOptions(metrics: [.throughput]))
        #expect(throughputOnly.exitCode == 0)
    }

    @Test func ignorePairsAcrossInterpreterLabels() throws {
        let base = Self.run(seed: 1)
        let new = Self.run(seed: 2, interpreterSuffix: "-rebuilt")
        #expect(throws: CompareError.noCommonConfigurations(base: "a", new: "b", ignored: [])) {
            try Comparison(base: base, new: new, baseFile: "a", newFile: "b")
        }
        let comparison = try Comparison(base: base, new: new, baseFile: "a", newFile: "b",
                                        options: ComparisonOptions(ignoring: ["interpreter"]))
        #expect(comparison.results.count == 12)
        #expect(comparison.ignored == ["interpreter"])
        #expect(comparison.results.allSatisfy { $0.configuration["interpreter"] == nil })
        #expect(comparison.warnings.isEmpty)
    }

    @Test func ignoringAColumnThatSeparatesConfigurationsWarns() throws {
        let base = Self.run(seed: 1)
        let comparison = try Comparison(base: base, new: Self.run(seed: 2), baseFile: "a", newFile: "b",
                                        options: ComparisonOptions(ignoring: ["threads"]))
        #expect(comparison.results.count == 4)
        #expect(comparison.warnings.count == 4)
        #expect(comparison.warnings[0].contains("pool 3 configurations"))
    }

    @Test func configurationsInOneFileAndProcessesNotOK() throws {
        var noise = Noise(seed: 4)
        let two = Setup.gil.with { $0.threads = 2 }
        let four = Setup.gil.with { $0.threads = 4 }
        let base = Setup.gil.rows(throughput: noise.sample(count: 9, mean: 100, cv: 0.01))
            + two.rows(throughput: noise.sample(count: 9, mean: 190, cv: 0.01))
        let new = Setup.gil.rows(throughput: noise.sample(count: 9, mean: 100, cv: 0.01))
            + four.rows(throughput: noise.sample(count: 9, mean: 350, cv: 0.01))
            + [Setup.gil.notOK(.failed, process: 7, message: "Traceback, line 3"),
               Setup.gil.notOK(.timeout, process: 8, message: ""),
               Setup.gil.notOK(.timeout, process: 9, message: "")]
        let comparison = try Comparison(base: base, new: new, baseFile: "a.csv", newFile: "b.csv")
        #expect(comparison.results.count == 1)
        #expect(comparison.onlyInBase.count == 1 && comparison.onlyInBase[0].contains("threads=2"))
        #expect(comparison.onlyInNew.count == 1 && comparison.onlyInNew[0].contains("threads=4"))
        #expect(comparison.notOK.map(\.status) == ["failed", "timeout"])
        #expect(comparison.notOK.map(\.processes) == [1, 2])
        #expect(comparison.notOK[0].message == "Traceback, line 3")
        let text = comparison.text()
        #expect(text.contains("Only in a.csv:") && text.contains("Only in b.csv:"))
        #expect(text.contains("b.csv: log-processing/regex") && text.contains("2 process(es) timeout"))
        #expect(comparison.broken.count == 1, "all ok in base, failures in new")
        #expect(comparison.exitCode == 1)
        #expect(text.contains("Broken in b.csv"))
    }

    @Test func failuresAlreadyInBaseAreNotNewBreakage() throws {
        var noise = Noise(seed: 5)
        let failure = Setup.gil.notOK(.failed, process: 7, message: "flaky")
        let base = Setup.gil.rows(throughput: noise.sample(count: 9, mean: 100, cv: 0.01)) + [failure]
        let new = Setup.gil.rows(throughput: noise.sample(count: 9, mean: 100, cv: 0.01)) + [failure]
        let comparison = try Comparison(base: base, new: new, baseFile: "a.csv", newFile: "b.csv")
        #expect(comparison.broken.isEmpty)
        #expect(comparison.exitCode == 0)
    }

    @Test func geometricMeanPerWorkload() throws {
        var noise = Noise(seed: 6)
        let two = Setup.gil.with { $0.threads = 2 }
        let base = Setup.gil.rows(throughput: noise.sample(count: 9, mean: 100, cv: 0.0001))
            + two.rows(throughput: noise.sample(count: 9, mean: 100, cv: 0.0001))
        let new = Setup.gil.rows(throughput: noise.sample(count: 9, mean: 90, cv: 0.0001))
            + two.rows(throughput: noise.sample(count: 9, mean: 110, cv: 0.0001))
        let comparison = try Comparison(base: base, new: new, baseFile: "a", newFile: "b")
        #expect(comparison.geometricMeans.count == 1)
        #expect(comparison.geometricMeans[0].configurations == 2)
        #expect(abs(comparison.geometricMeans[0].ratio - 0.99.squareRoot()) < 0.001)
    }

    @Test func formats() throws {
        let comparison = try Comparison(base: Self.run(seed: 1), new: Self.run(seed: 2, factor: 0.9),
                                        baseFile: "a.csv", newFile: "b.csv")
        let csv = comparison.csv().split(separator: "\n")
        #expect(csv.count == 13)
        #expect(csv[0].hasPrefix("workload,variant,params,interpreter,python_version,build,env,threads"))
        #expect(csv[1].hasSuffix(",slower"))

        let json = try JSONSerialization.jsonObject(with: Data(comparison.json().utf8)) as! [String: Any]
        #expect((json["results"] as! [Any]).count == 12)
        #expect(json["threshold"] as? Double == 0.05)

        let markdown = comparison.markdown()
        #expect(markdown.hasPrefix("### a.csv -> b.csv"))
        #expect(markdown.contains("| slower"))
        #expect(markdown.contains("(regression: exit 1)"))

        #expect(!comparison.text().contains("\u{1B}"))
        #expect(comparison.text(color: true).contains("\u{1B}[31m"))
        #expect(comparison.rendered(as: .csv) == comparison.csv())
    }
}
