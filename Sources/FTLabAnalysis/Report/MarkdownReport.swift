import FTLabCore
/// The report as GitHub-flavoured markdown, for a README: the patterns page when the run
/// measured the pattern workloads (`PatternsPage`), then per run, the machine, the
/// interpreters and the scaling summary tables (`ScalingSummary.markdown()`).
public enum MarkdownReport {
    public static func render(_ report: ScalingReport, patterns: PatternsPage? = nil, projects: [ProjectSummary] = []) -> String {
        guard !report.runs.isEmpty else { return "The results files hold no measurements.\n" }
        let page = (patterns.map { $0.isEmpty ? "" : $0.markdown() + "\n" } ?? "")
            + projects.map { "## Project \($0.project)\n\n```\n\($0.text())\n```\n\n" }.joined()
        return page + report.runs.map { run in
            let id = run.identity
            var interpreters = Table(header: ["interpreter", "Python", "build", "GIL observed", "--env"])
            interpreters.rows = run.interpreters.map {
                [$0.label, $0.pythonVersion, $0.build, $0.gil, $0.env.joined(separator: "; ")]
            }
            let machine = "\(id.cpuModel.isEmpty ? "unknown CPU" : id.cpuModel), \(id.cpusOnline) CPUs online, "
                + "\(id.numaNodes) NUMA node\(id.numaNodes == 1 ? "" : "s"), SMT \(id.smt ? "on" : "off"), kernel \(id.kernel)"
            return [
                "## Run \(id.runID) on \(id.host)", "",
                "Machine: \(machine). Started \(id.startedUTC) (UTC), suite revision \(id.suiteRev).", "",
                interpreters.markdown(), "",
                ScalingSummary(run: run).markdown(),
            ].joined(separator: "\n")
        }.joined(separator: "\n")
    }
}
