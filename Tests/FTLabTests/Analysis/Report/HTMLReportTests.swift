import Foundation
import Testing
import FTLabCore
import FTLabRunner
import FTLabAnalysis

@Suite struct HTMLReportTests {
    func page(_ rows: [ResultRow], files: [String] = ["run.csv"]) -> String {
        HTMLReport.render(ScalingReport(rows: rows, bootstrap: Bootstrap(resamples: 200)), files: files)
    }

    @Test func chartsPerSectionWithIds() {
        let html = page(ReportFixture.run())
        for kind in ["throughput", "speedup", "efficiency", "ft-gil", "allocator"] {
            #expect(html.contains("id=\"\(kind)-log-processing-partitioned\" class=\"chart chart-\(kind)\""), "\(kind)")
        }
        #expect(!html.contains("chart-placement") && !html.contains("chart-latency"))
        #expect(html.contains("<section class=\"workload\" id=\"log-processing-partitioned\">"))
        #expect(html.contains("href=\"#log-processing-partitioned\""))
        #expect(html.contains("class=\"guide ideal\"") && html.contains("class=\"cpu-mark\""))
        #expect(html.contains("2 CPUs online"))
    }

    @Test func selfContained() {
        let html = page(ReportFixture.run() + ReportFixture.latencyRun())
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.lowercased().contains("<script"))
        #expect(!html.contains("src=") && !html.contains("<link"))
        #expect(!html.contains("http://") || !html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http://"))
        #expect(!html.contains("https://"))
    }

    @Test func headerNamesMachineAndInterpreters() {
        let html = page(ReportFixture.run())
        for fact in ["Test CPU @ 2.0GHz", "6.1.0-test", "CPUs online", "NUMA nodes", PinnedPair.freeThreaded, "freethreaded",
                     PinnedPair.version, "Run run-a", "single-thread slowdown"] {
            #expect(html.contains(fact), "\(fact)")
        }
    }

    @Test func latencyChartsWhenRecorded() {
        let html = page(ReportFixture.latencyRun())
        #expect(html.contains("id=\"latency-p50-http-handling-thread-pool\""))
        #expect(html.contains("id=\"latency-p99-http-handling-thread-pool\""))
        #expect(html.contains("<th class=\"num\">p99.9</th>"))
    }

    @Test func labelsAndMessagesAreEscaped() {
        let rows = ReportFixture.run().map { row in
            var row = row
            if row.build == "freethreaded" { row.interpreter = "ft <b>&\"x\"" }
            row.host = "<host>"
            return row
        }
        let html = page(rows, files: ["a&b<c>.csv"])
        #expect(!html.contains("<b>") && !html.contains("<host>") && !html.contains("<core dumped>"))
        #expect(html.contains("ft &lt;b&gt;&amp;&quot;x&quot;"))
        #expect(html.contains("&lt;core dumped&gt; &amp; &quot;gone&quot;"))
        #expect(html.contains("a&amp;b&lt;c&gt;.csv"))
        #expect(html.contains("data-label=\"ft &lt;b&gt;&amp;&quot;x&quot; · allocator=system\""))
    }

    @Test func failedOnlyAndEmptyInputs() {
        let failed = page(ReportFixture.failedOnly())
        #expect(failed.contains("class=\"no-data\""))
        #expect(!failed.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" id="))
        #expect(failed.contains("<details class=\"failures\" open"))
        #expect(failed.contains("boom") && failed.contains("killed"))
        let empty = page([])
        #expect(empty.contains("The files hold no measurements."))
        #expect(!empty.contains("class=\"workload\""))
    }

    @Test func nativeCeilingOnTheChartOrNoted() throws {
        let far = ScalingReport(rows: ReportFixture.run(), bootstrap: Bootstrap(resamples: 100)).sections[0]
        let farChart = SectionCharts.throughput(far)
        #expect(farChart.lines.allSatisfy { !$0.bold }, "10x the Python curves: left off, not squashing them")
        #expect(farChart.yScale.upper < 400)
        let near = ScalingReport(rows: ReportFixture.run().map { row in
            var row = row
            if row.interpreter == ReportSeries.nativeInterpreter { row.throughput /= 8 }
            return row
        }, bootstrap: Bootstrap(resamples: 100)).sections[0]
        let nearChart = SectionCharts.throughput(near)
        #expect(nearChart.lines.filter { $0.bold }.count == 1 && nearChart.note == nil)
        #expect(nearChart.yScale.upper >= 250)
        #expect(near.series.last?.isNative == true, "the ceiling comes last in legends and tables")

        let html = page(ReportFixture.run())
        #expect(html.contains("native-swift ceiling above the chart: up to 2.0"))
        #expect(html.contains("native-swift · allocator=system (native ceiling)"))
        #expect(html.contains("<th class=\"num\">of native</th>"))
    }
}
