import Foundation
import Testing
import FTLabCore
import FTLabRunner
import FTLabAnalysis

/// The HTML report as a browser sees it: headless Chromium (Debian's `chromium`, listed in
/// lab/packages.txt) loads the page, and the DOM it built holds every expected chart.
@Suite("ftlab report in headless Chromium", .serialized, .tags(.integration, .needsBrowser), .skippedInUnitRuns)
struct ReportBrowserTests {
    /// The results files committed under results/, whose report must render too.
    static let published: [String] = {
        let folder = TestPaths.repository + "/results"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.filter { $0.hasSuffix(".csv") }.sorted().map { folder + "/" + $0 }
    }()

    /// Runs headless Chromium on `page` with `arguments`; its stdout is the dumped DOM, if asked.
    func chromium(_ arguments: [String], page: String) throws -> (status: Int32, stdout: String, stderr: String) {
        let executable = try #require(["/usr/bin/chromium", "/usr/bin/chromium-browser"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }, "headless Chromium is needed: apt-get install chromium (lab/packages.txt lists it)")
        let profile = TestPaths.scratch("chromium")
        return try runProgram("/usr/bin/timeout", [
            "120", executable, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--user-data-dir=\(profile)", "--hide-scrollbars",
        ] + arguments + ["file://" + page])
    }

    /// Writes the report of `csvs` and returns the page's path.
    func report(_ csvs: [String]) throws -> String {
        let page = TestPaths.scratch() + "/report.html"
        let made = try ftlab(["report"] + csvs + ["-o", page])
        #expect(made.status == 0, "stderr: \(made.stderr)")
        return page
    }

    /// The ids of the charts a report of `rows` must show.
    func expectedCharts(_ rows: [ResultRow]) -> [String] {
        ScalingReport(rows: rows, bootstrap: Bootstrap(resamples: 10)).sections.flatMap { section in
            SectionCharts.charts(for: section).map(\.id)
        }
    }

    /// Asserts the dumped DOM is the whole page with an SVG chart element for each id.
    func expectLoaded(_ dom: String, charts: [String]) {
        #expect(dom.contains("<h1>ftlab scaling report"), "the page loaded")
        #expect(dom.contains("</footer>"), "the page parsed to the end")
        for id in charts {
            #expect(dom.contains("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"\(id)\" class=\"chart "), "chart \(id)")
        }
        let drawn = dom.components(separatedBy: "<svg xmlns=\"http://www.w3.org/2000/svg\" id=").count - 1
        #expect(drawn == charts.count)
    }

    @Test("every chart of a rich synthetic run is in the DOM, and no-data sections say so")
    func syntheticReport() throws {
        let rows = ReportFixture.run() + ReportFixture.latencyRun() + ReportFixture.failedOnly()
        let page = try report([try ReportFixture.write(rows)])
        let dom = try chromium(["--dump-dom"], page: page)
        #expect(dom.status == 0, "stderr: \(dom.stderr.suffix(2000))")
        let charts = expectedCharts(rows)
        #expect(charts.contains("throughput-log-processing-partitioned"))
        #expect(charts.contains("allocator-log-processing-partitioned"))
        #expect(charts.contains("latency-p99-http-handling-thread-pool"))
        expectLoaded(dom.stdout, charts: charts)
        #expect(dom.stdout.contains("class=\"no-data\""))
    }

    @Test("a screenshot at 1280 px is a real picture of the page")
    func screenshot() throws {
        let page = try report([try ReportFixture.write(ReportFixture.run())])
        let png = TestPaths.scratch() + "/report.png"
        let shot = try chromium(["--window-size=1280,2000", "--screenshot=\(png)"], page: page)
        #expect(shot.status == 0, "stderr: \(shot.stderr.suffix(2000))")
        let data = try #require(FileManager.default.contents(atPath: png))
        #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]), "a PNG")
        let width = data[16..<20].reduce(0) { $0 << 8 | Int($1) }
        #expect(width == 1280)
        #expect(data.count > 50_000, "charts and text drawn, not a blank page (\(data.count) bytes)")
    }

    @Test("the report of a real run (both builds, two allocators) has its ratio charts", .tags(.needsLab), .skippedInUnitRuns)
    func realRun() throws {
        let csv = TestPaths.scratch() + "/real.csv"
        let run = try ftlab(["run", "log-processing/partitioned", "--threads", "1,2", "--allocator", "system,jemalloc",
                             "--param", "lines=2000", "-o", csv] + LoadSensitiveTests.RunIntegrationTests.tiny)
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let page = try report([csv])
        let dom = try chromium(["--dump-dom"], page: page)
        #expect(dom.status == 0, "stderr: \(dom.stderr.suffix(2000))")
        let charts = expectedCharts(try ResultReader(path: csv).rows)
        #expect(Set(charts) == Set(["throughput", "speedup", "efficiency", "ft-gil", "allocator"].map {
            "\($0)-log-processing-partitioned"
        }))
        expectLoaded(dom.stdout, charts: charts)
    }

    @Test("the report of each published results file renders with every chart", arguments: published)
    func publishedResults(csv: String) throws {
        let page = try report([csv])
        let dom = try chromium(["--dump-dom"], page: page)
        #expect(dom.status == 0, "stderr: \(dom.stderr.suffix(2000))")
        expectLoaded(dom.stdout, charts: expectedCharts(try ResultReader(path: csv).rows))
    }
}
