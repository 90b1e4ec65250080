import Testing
import FTLabCore
import FTLabAnalysis

/// The report asks of every row whether the patterns page and the project summaries read it.
@Suite struct ReportRowFilterTests {
    static func row(workload: String = "w", params: String) -> ResultRow {
        var row = ResultRow()
        row.workload = workload
        row.params = params
        return row
    }

    @Test("a project's rows carry test_runner=pytest as one of their ;-separated params",
          arguments: [("test_runner=pytest", true), ("a=1;test_runner=pytest", true), ("test_runner=pytest;b=2", true),
                      ("a=1;test_runner=pytest;b=2", true), (";test_runner=pytest;", true), ("", false),
                      ("test_runner=pytestx", false), ("xtest_runner=pytest", false), ("test_runner=pytes", false),
                      ("a=test_runner=pytest", false), ("test_runner=unittest", false)])
    func projectRows(params: String, reads: Bool) {
        #expect(ProjectSummary.reads(Self.row(params: params)) == reads)
    }

    @Test func patternRows() {
        #expect(PatternsPage.reads(Self.row(workload: "stdio", params: "")))
        #expect(PatternsPage.reads(Self.row(workload: "buffered-copy", params: "size=1;impl=mmap")))
        #expect(!PatternsPage.reads(Self.row(workload: "buffered-copy", params: "size=1;imp=mmap")))
        #expect(!PatternsPage.reads(Self.row(workload: "log-processing", params: "impl=x")))
    }
}
