import Foundation
import Testing
import FTLabRunner

/// `ftlab report` as a user runs it: files in, a page or markdown out, exit 2 on bad input.
@Suite(.tags(.integration), .skippedInUnitRuns)
struct ReportCommandTests {
    @Test func writesTheHTMLPage() throws {
        let csv = try ReportFixture.write(ReportFixture.run())
        let out = TestPaths.scratch() + "/report.html"
        let run = try ftlab("report", csv, "-o", out)
        #expect(run.status == 0, "stderr: \(run.stderr)")
        let html = try String(contentsOfFile: out, encoding: .utf8)
        #expect(html.contains("id=\"throughput-log-processing-partitioned\""))
        #expect(run.stderr.contains(out))
    }

    @Test func mergesSeveralFilesSideBySide() throws {
        let a = try ReportFixture.write(ReportFixture.run(runID: "run-a", host: "lab-1"), name: "a.csv")
        let b = try ReportFixture.write(ReportFixture.run(runID: "run-b", host: "lab-2"), name: "b.csv")
        let run = try ftlab("report", a, b)
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout.contains("Run run-a") && run.stdout.contains("Run run-b"))
        #expect(run.stdout.contains("\(PinnedPair.gil) · allocator=system · run lab-2 run-b"))
    }

    @Test func markdownSummary() throws {
        let csv = try ReportFixture.write(ReportFixture.run())
        let run = try ftlab("report", csv, "--format", "markdown")
        #expect(run.status == 0, "stderr: \(run.stderr)")
        #expect(run.stdout.hasPrefix("## Run run-a on lab-1"))
        #expect(run.stdout.contains("Test CPU @ 2.0GHz, 2 CPUs online"))
        #expect(run.stdout.contains("### log-processing / partitioned"))
        #expect(run.stdout.contains("| \(PinnedPair.freeThreaded)"))
        #expect(!run.stdout.contains("<"))
    }

    @Test("bad input exits 2 and says what is wrong", arguments: [
        (["report", "/no/such/run.csv"], "no such file"),
        (["report", "NOT-CSV"], "not an ftlab results CSV"),
        (["report", "FOLDER"], "is a folder"),
        (["report", "GOOD", "-o", "/no/such/folder/report.html"], "does not exist"),
        (["report", "GOOD", "-o", "FOLDER"], "cannot write the report"),
        (["report", "GOOD", "--format", "pdf"], "pdf"),
        (["report"], "RUN.csv"),
    ])
    func badInput(arguments: [String], message: String) throws {
        let folder = TestPaths.scratch("badreport")
        let notCSV = folder + "/other.csv"
        try "name,age\nada,36\n".write(toFile: notCSV, atomically: true, encoding: .utf8)
        let good = try ReportFixture.write(ReportFixture.run())
        let resolved = arguments.map { ["NOT-CSV": notCSV, "FOLDER": folder, "GOOD": good][$0] ?? $0 }
        let run = try ftlab(resolved)
        #expect(run.status == 2, "stderr: \(run.stderr)")
        #expect(run.stderr.contains(message), "stderr: \(run.stderr)")
    }
}
