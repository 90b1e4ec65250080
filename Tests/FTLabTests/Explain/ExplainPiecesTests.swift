import Foundation
import Testing
@testable import FTLabRunner
@testable import FTLabExplain
@testable import FTLabHarness
@testable import FTLabInterpreters

@Suite("explain: perf discovery, plan, HTML")
struct ExplainPiecesTests {
    @Test("FTLAB_PERF empty or broken: no perf, with a note saying why; never a failure", .tags(.integration), .skippedInUnitRuns)
    func perfOverride() async {
        let off = await PerfTool.locate(environment: ["FTLAB_PERF": ""])
        #expect(off.path == nil && off.missing?.contains("FTLAB_PERF") == true)
        await #expect(off.probe(["trace", "--", "true"], what: "trace") == off.missing)
        let broken = await PerfTool.locate(environment: ["FTLAB_PERF": "/etc/hostname"])
        #expect(broken.path == nil && broken.missing?.contains("/etc/hostname") == true)
        let nowhere = await PerfTool.locate(environment: ["PATH": "/nonexistent"])
        if nowhere.path == nil { #expect(nowhere.missing?.contains("linux-perf") == true) }
    }

    @Test("a perf that may not do something says what and how to allow it", .tags(.integration), .skippedInUnitRuns)
    func probeNote() async {
        // `false` stands in for a perf refused by perf_event_paranoid: it runs and fails.
        let refusing = PerfTool(path: "/bin/false", paranoid: 3, missing: nil)
        let note = await refusing.probe(["record", "--", "true"], what: "record cpu-clock samples")
        #expect(note?.contains("may not record cpu-clock samples") == true)
        #expect(note?.contains("perf_event_paranoid is 3") == true)
        await #expect(PerfTool(path: "/bin/true", paranoid: 2, missing: nil).probe([], what: "x") == nil)
    }

    @Test("the plan: one variant, baseline below target, one pair per interpreter")
    func plan() throws {
        let catalog = try WorkloadCatalog.load(builtin: TestPaths.builtinWorkloads)
        let topology = try SysfsFixture.thisMachine.topology()
        var request = RunRequest()
        request.interpreters = [InterpreterChoice(label: "a", path: "/a"), InterpreterChoice(label: "b", path: "/b", build: .freethreaded)]
        request.placements = ["none"]
        let plan = try ExplainPlan.make(selector: "log-processing/shared-lock", threads: 2, baselineThreads: 1,
                                        request: request, catalog: catalog, topology: topology)
        #expect(plan.workload == "log-processing/shared-lock")
        #expect(plan.pairs.map { "\($0.baseline.interpreter.label)\($0.baseline.threads)-\($0.target.threads)" } == ["a1-2", "b1-2"])
        #expect(throws: ExplainError.self) {
            try ExplainPlan.make(selector: "log-processing", threads: 2, baselineThreads: 1, request: request,
                                 catalog: catalog, topology: topology)
        }
        #expect(throws: ExplainError.badThreads(threads: 2, baseline: 2)) {
            try ExplainPlan.make(selector: "log-processing/partitioned", threads: 2, baselineThreads: 2, request: request,
                                 catalog: catalog, topology: topology)
        }
        #expect(ExplainError.notOneVariant(selector: "x", matches: ["x/a", "x/b"]).exitCode == 2)
    }

    @Test("HTML: a self-contained section with one SVG bar segment per non-empty share, text escaped")
    func html() throws {
        var c = ScalingVerdictTests.configuration(onCPU: 0.5, runnable: 0.25)
        c.interpreter = "<py&>"
        let text = ExplainHTML.render(Explanation(workload: "w/v", configurations: [c]))
        #expect(text.hasPrefix("<section class=\"ftlab-explain\""))
        #expect(text.contains("&lt;py&amp;&gt;") && !text.contains("<py&>"))
        #expect(!text.contains("<script") && !text.contains("<link"))
        let svg = try #require(text.range(of: "<svg")).lowerBound
        let end = try #require(text.range(of: "</svg>")).upperBound
        let chart = String(text[svg..<end])
        // Legend: 4 swatches; bars: baseline (on-CPU only) + 2 target threads x (on-CPU, runnable, blocked).
        #expect(chart.components(separatedBy: "<rect").count - 1 == 4 + 1 + 2 * 3)
        #expect(chart.contains("<title>25%</title>"))
    }
}
