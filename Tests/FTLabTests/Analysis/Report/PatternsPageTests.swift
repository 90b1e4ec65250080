import Foundation
import Testing
@testable import FTLabAnalysis
@testable import FTLabCore

/// The patterns page on synthetic runs whose answers are known: which option scales, the
/// release order, the single-thread cost, the _pyio/io ratios, and explain's verdicts.
@Suite("patterns page")
struct PatternsPageTests {
    static let bootstrap = Bootstrap(resamples: 300)

    /// Rows of one configuration: 3 processes x 3 samples around `mean`.
    static func rows(_ workload: String, _ variant: String, release: String, freeThreaded: Bool, threads: Int,
                     mean: Double, params: String = "", unit: String = "requests", seed: UInt64) -> [ResultRow] {
        var noise = Noise(seed: seed)
        let setup = Setup(workload: workload, variant: variant,
                          interpreter: "cpython-\(release)\(freeThreaded ? "t" : "")", pythonVersion: release,
                          build: freeThreaded ? "freethreaded" : "gil", threads: threads, placement: "compact")
        return setup.rows(throughput: noise.sample(count: 9, mean: mean, cv: 0.02)).map {
            var row = $0
            row.params = params
            row.unit = unit
            row.loadStart = 2.5
            row.load1m = 3.0
            return row
        }
    }

    /// thread-state on two releases: contextvar doubles at 2 threads, threading-local stays flat;
    /// the free-threaded build takes 1.25x the GIL build's time at 1 thread.
    static var threadState: [ResultRow] {
        var rows: [ResultRow] = []
        var seed: UInt64 = 1
        for release in ["3.13.5", "3.14.7"] {
            for (variant, scale) in [("contextvar", 2.0), ("threading-local", 1.0)] {
                for ft in [false, true] {
                    for threads in [1, 2] {
                        let single = ft ? 800_000.0 : 1_000_000.0
                        rows += Self.rows("thread-state", variant, release: release, freeThreaded: ft, threads: threads,
                                          mean: threads == 1 ? single : single * (ft ? scale : 1), params: "reads=8", seed: seed)
                        seed += 1
                    }
                }
            }
        }
        return rows
    }

    @Test("each question is answered per release, newest first, naming what scales and its CI")
    func answers() throws {
        let page = PatternsPage(rows: Self.threadState, bootstrap: Self.bootstrap)
        #expect(page.sections.count == 1)
        let section = try #require(page.sections.first)
        #expect(section.title == "contextvars or threading.local")
        #expect(section.answers.map(\.release) == ["3.14.7", "3.13.5"])
        let answer = section.answers[0]
        let byLabel = Dictionary(uniqueKeysWithValues: answer.figures.map { ($0.label, $0) })
        let contextvar = try #require(byLabel["contextvar"])
        let local = try #require(byLabel["threading-local"])
        #expect(abs(contextvar.speedup.ratio - 2) < 0.1)
        #expect(contextvar.speedup.interval.low < contextvar.speedup.ratio && contextvar.speedup.ratio < contextvar.speedup.interval.high)
        #expect(contextvar.verdict == "scales")
        #expect(local.verdict == "does not scale")
        #expect(abs(try #require(contextvar.timeOverGIL).ratio - 1.25) < 0.05)
        #expect(PatternsPage.cost(contextvar.single, unit: "requests").hasPrefix("1.2") && PatternsPage.cost(contextvar.single, unit: "requests").hasSuffix(" µs per request"), "800k requests/s is 1.25 µs each")
        #expect(answer.sentence.hasPrefix("On CPython 3.14.7 (free-threaded), `contextvar` scales; the best is `contextvar` 2."))
        #expect(answer.sentence.contains("against `threading-local` 1.0") || answer.sentence.contains("against `threading-local` 0.9"))
        let markdown = page.markdown()
        #expect(markdown.contains("Load average (1 minute): 2.50 when the run started; as its processes ended, median 3.00, at most 3.00."))
        #expect(markdown.contains("run `ftlab explain thread-state/threading-local --threads 2 --python cpython-3.14.7t`"))
        #expect(!markdown.contains("ftlab explain thread-state/contextvar"), "what scales needs no explanation")
        #expect(page.controls.isEmpty && !markdown.contains("How much of the CPUs"), "no shared-nothing variant was measured")
    }

    @Test("a shared-nothing variant is the control: how much of the CPUs the run got")
    func control() throws {
        var rows = Self.threadState
        var seed: UInt64 = 200
        for ft in [false, true] {
            for threads in [1, 2] {
                rows += Self.rows("shared-state", "random-per-thread", release: "3.14.7", freeThreaded: ft, threads: threads,
                                  mean: threads == 1 ? 1e6 : 1.6e6, unit: "calls", seed: seed)
                seed += 1
            }
        }
        let page = PatternsPage(rows: rows, bootstrap: Self.bootstrap)
        let control = try #require(page.controls.first)
        #expect(page.controls.count == 1 && control.label == "shared-state/random-per-thread")
        #expect(abs(control.speedup.ratio - 1.6) < 0.1)
        #expect(page.markdown().contains("How much of the CPUs the run got: on CPython 3.14.7 (free-threaded) `shared-state/random-per-thread`"))
    }

    @Test("explain's verdict replaces the command where one was given")
    func verdicts() throws {
        let verdict = ExplainVerdict(workload: "thread-state/threading-local", interpreter: "cpython-3.14.7t", threads: 2,
                                     verdict: "lock waits: something specific")
        let page = PatternsPage(rows: Self.threadState, verdicts: [verdict], bootstrap: Self.bootstrap)
        let markdown = page.markdown()
        #expect(markdown.contains("- `threading-local` on cpython-3.14.7t: lock waits: something specific"))
        #expect(markdown.contains("run `ftlab explain thread-state/threading-local --threads 2 --python cpython-3.13.5t`"))
    }

    @Test("explain's JSON is read; another document is refused naming the file")
    func verdictFiles() throws {
        let folder = TestPaths.scratch("verdicts")
        let good = folder + "/why.json"
        try #"{"schema": "ftlab.explain/1", "workload": "handoff/queue", "configurations": [{"interpreter": "cpython-3.14.7t", "threads": 2, "verdict": "blocked: x", "build": "freethreaded"}]}"#
            .write(toFile: good, atomically: true, encoding: .utf8)
        #expect(try ExplainVerdict.read(path: good) == [ExplainVerdict(workload: "handoff/queue", interpreter: "cpython-3.14.7t", threads: 2, verdict: "blocked: x")])
        let bad = folder + "/plan.json"
        try #"{"schema": "ftlab.plan/1"}"#.write(toFile: bad, atomically: true, encoding: .utf8)
        #expect(throws: ReportError.self) { try ExplainVerdict.read(path: bad) }
        #expect(throws: ReportError.self) { try ExplainVerdict.read(path: folder + "/missing.json") }
    }

    @Test("_pyio is judged against its C io twin: time at 1 thread, throughput at N")
    func pyio() throws {
        var rows: [ResultRow] = []
        var seed: UInt64 = 100
        for (impl, single) in [("io", 2e9), ("_pyio", 1e9)] {
            for ft in [false, true] {
                for threads in [1, 2] {
                    rows += Self.rows("buffered-copy", "shared-writer", release: "3.14.7", freeThreaded: ft, threads: threads,
                                      mean: single * (threads == 2 && impl == "io" ? 1.5 : 1), params: "file_size=8M;impl=\(impl)",
                                      unit: "bytes", seed: seed)
                    seed += 1
                }
            }
        }
        let page = PatternsPage(rows: rows, bootstrap: Self.bootstrap)
        let section = try #require(page.sections.first)
        #expect(page.sections.count == 1 && section.title == "C io against _pyio")
        let figure = try #require(section.answers.first?.figures.first)
        #expect(figure.label == "buffered-copy/shared-writer impl=_pyio")
        #expect(abs(try #require(figure.timeOverBaseline).ratio - 2) < 0.1)
        #expect(abs(try #require(figure.throughputOverBaseline).ratio - 1 / 3) < 0.03)
        #expect(section.answers[0].sentence.contains("_pyio takes 2.0"))
        #expect(PatternsPage.cost(figure.single, unit: "bytes").hasSuffix("GB/s"), "bytes are a rate, not a time")
    }

    @Test("a run without the pattern workloads has no page, and the markdown report is unchanged")
    func absent() {
        let rows = Setup.gil.rows(throughput: [100, 101, 102]) + Setup.freeThreaded.rows(throughput: [90, 91, 92])
        let page = PatternsPage(rows: rows, bootstrap: Self.bootstrap)
        #expect(page.isEmpty && page.markdown().isEmpty)
        let report = ScalingReport(rows: rows, bootstrap: Self.bootstrap)
        #expect(MarkdownReport.render(report, patterns: page) == MarkdownReport.render(report))
    }
}
