import Testing
import FTLabCore
import FTLabRunner
import FTLabAnalysis

@Suite struct ScalingReportTests {
    static let bootstrap = Bootstrap(resamples: 200)

    func report(_ rows: [ResultRow]) -> ScalingReport {
        ScalingReport(rows: rows, bootstrap: Self.bootstrap)
    }

    @Test func oneSectionPerWorkloadVariantWithACurvePerConfiguration() throws {
        let report = report(ReportFixture.run())
        #expect(report.runs.count == 1)
        #expect(report.sections.map(\.anchor) == ["log-processing-partitioned"])
        let section = report.sections[0]
        #expect(section.unit == "lines")
        // 2 builds x 2 allocators + the native ceiling.
        #expect(section.series.count == 5)
        #expect(section.series.allSatisfy { $0.points.map(\.threads) == [1, 2, 3] })
        let labels = section.series.map(\.label)
        #expect(labels.contains("\(PinnedPair.freeThreaded) · allocator=jemalloc"))
        #expect(labels.contains("native-swift · allocator=system"))
        // Colour per interpreter, dash per allocator.
        let gil = section.series.filter { $0.describing.interpreter == PinnedPair.gil }
        #expect(Set(gil.map(\.style.color)).count == 1 && Set(gil.map(\.style.dash)).count == 2)
        #expect(section.series.first(where: \.isNative)?.style.color == SeriesStyle.nativeColor)
        #expect(section.failures.count == 1)
    }

    @Test func freeThreadedOverGILRatiosWithIntervals() throws {
        let section = report(ReportFixture.run()).sections[0]
        #expect(section.freeThreadedOverGIL.count == 2)  // one per allocator
        let system = try #require(section.freeThreadedOverGIL.first { $0.series.describing.allocator == "system" })
        #expect(system.points.map(\.threads) == [1, 2, 3])
        #expect(abs(system.points[0].ratio - 0.8) < 0.02)
        #expect(abs(system.points[1].ratio - 1.5) < 0.03)
        #expect(system.points.allSatisfy { $0.interval.contains($0.ratio) })
    }

    @Test func allocatorComparedWithSystemPlacementNotSwept() throws {
        let section = report(ReportFixture.run()).sections[0]
        #expect(section.factors.map(\.column) == ["allocator"])
        let allocator = section.factors[0]
        #expect(allocator.baseline == "system")
        #expect(allocator.series.count == 2)  // jemalloc on each build; native has no jemalloc twin
        for curve in allocator.series {
            #expect(curve.series.describing.allocator == "jemalloc")
            #expect(curve.points.allSatisfy { abs($0.ratio - 1.1) < 0.03 })
        }
    }

    @Test func nativeCeilingShares() throws {
        let section = report(ReportFixture.run()).sections[0]
        let gil = try #require(section.series.first { $0.describing.build == "gil" && $0.describing.allocator == "system" })
        #expect(abs(gil.point(threads: 1)!.ofNative! - 0.1) < 0.005)
        #expect(abs(gil.point(threads: 2)!.ofNative! - 0.05) < 0.003)
        #expect(section.series.first(where: \.isNative)!.points.allSatisfy { $0.ofNative == nil })
    }

    @Test func runsSitSideBySideAndNeverPool() throws {
        let report = report(ReportFixture.run(runID: "run-a", host: "lab-1") + ReportFixture.run(runID: "run-b", host: "lab-2", seed: 9))
        #expect(report.runs.map(\.label) == ["lab-1 run-a", "lab-2 run-b"])
        let section = report.sections[0]
        #expect(section.series.count == 10)
        #expect(section.series.allSatisfy { $0.points.allSatisfy { $0.figures.throughput?.n == 9 } }, "no pooling across runs")
        #expect(section.series.filter { $0.label.hasSuffix("run lab-2 run-b") }.count == 5)
        #expect(section.freeThreadedOverGIL.count == 4, "pairs found within each run")
    }

    @Test func latencyPercentilesWhenRecorded() throws {
        let report = report(ReportFixture.latencyRun())
        let section = report.sections[0]
        #expect(section.hasLatency && section.unit == "requests")
        let point = try #require(section.series.first?.point(threads: 1))
        #expect(point.latencyP50?.median == 450)
        #expect(abs(point.latencyP99!.median - 4000) < 300)
        #expect(point.latencyP999?.median == 20_000)
        #expect(!self.report(ReportFixture.run()).sections[0].hasLatency)
    }

    @Test func failedOnlySectionHasNoFiguresButItsFailures() throws {
        let report = report(ReportFixture.failedOnly())
        let section = report.sections[0]
        #expect(section.series.allSatisfy { $0.points.allSatisfy { $0.figures.throughput == nil } })
        #expect(section.failures.count == 2)
        #expect(section.freeThreadedOverGIL.isEmpty && section.factors.isEmpty)
        #expect(SectionCharts.charts(for: section).isEmpty)
    }

    @Test func headerFacts() throws {
        let run = report(ReportFixture.run()).runs[0]
        #expect(run.identity.cpuModel == "Test CPU @ 2.0GHz" && run.identity.cpusOnline == 2)
        #expect(run.interpreters.map(\.label) == PinnedPair.labels + ["native-swift"])
        #expect(run.interpreters[0].gil == "on" && run.interpreters[1].gil == "off")
        #expect(run.processes[.failed] == 1)
        #expect(run.overheads.first?.workload == "log-processing")
    }

    @Test func anchorsAreSlugsAndUnique() {
        #expect(ScalingReport.slug("Log Processing/x<y>") == "log-processing-x-y")
        #expect(ScalingReport.slug("<&>") == "section")
        let rows = [Setup.gil.with { $0.workload = "a-b"; $0.variant = "c" }, Setup.gil.with { $0.workload = "a"; $0.variant = "b-c" }]
            .flatMap { $0.rows(throughput: [1, 2, 3]) }
        #expect(report(rows).sections.map(\.anchor) == ["a-b-c", "a-b-c-2"])
    }

    @Test func noRowsNoSections() {
        let report = report([])
        #expect(report.runs.isEmpty && report.sections.isEmpty)
        #expect(MarkdownReport.render(report).contains("no measurements"))
    }
}

@Suite("Report ratios reuse the denominators' draws")
struct ReportRatioDrawsTests {
    /// 9 values a configuration and 9 resamples: every configuration's draws are kept, so each
    /// ratio continues from its denominator's; each interval must be the one drawn whole.
    @Test func ratioIntervalsAreTheOnesDrawnWhole() throws {
        let bootstrap = Bootstrap(resamples: 9, seed: 77)
        let report = ScalingReport(rows: ReportFixture.run(), bootstrap: bootstrap)
        let figures = report.runs[0].figures
        #expect(figures.allSatisfy { $0.throughput == nil || $0.throughputDraws != nil })
        let configurations = figures.map(\.configuration)
        let section = try #require(report.sections.first)
        let allocator = try #require(section.factors.first { $0.column == "allocator" })
        let expected = BuildPair.pairs(configurations).map { ($0.freeThreaded, $0.gil, section.freeThreadedOverGIL) }
            + FactorRatios.pairs(configurations, column: "allocator", baseline: "system").map { ($0, $1, allocator.series) }
        #expect(expected.count == 12)  // 3 thread counts x (a build pair per allocator + a jemalloc pair per build)
        for (numerator, denominator, curves) in expected {
            let curve = try #require(curves.first {
                $0.series.key == "run-a|" + numerator.first.configurationKey(ignoring: ["threads"])
            })
            let point = try #require(curve.points.first { $0.threads == numerator.first.threads })
            #expect(point.interval == bootstrap.ratioOfMediansInterval(
                base: denominator.processValues(\.throughput), new: numerator.processValues(\.throughput)))
        }
    }
}
