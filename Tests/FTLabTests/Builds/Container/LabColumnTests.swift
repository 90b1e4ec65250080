import Foundation
import Testing
@testable import FTLabCore
@testable import FTLabHarness
@testable import FTLabInterpreters
@testable import FTLabRunner

@Suite("The CSV's lab column and the identity a lab run records")
struct LabColumnTests {
    @Test("lab is a trailing column (after client_cpu_util) and round-trips")
    func lastColumn() throws {
        let columns = ResultRow.columns
        #expect(ResultRow.laterColumns.contains("lab"))
        #expect(try #require(columns.firstIndex(of: "lab")) > (try #require(columns.firstIndex(of: "client_cpu_util"))))
        var row = ResultRow()
        row.lab = String(repeating: "5", count: 64)
        let read = try ResultReader(text: ResultWriter.encode([ResultRow.columns, row.fields]))
        #expect(read.rows == [row])
    }

    @Test("a file written before the lab column reads, with lab empty")
    func olderFile() throws {
        var row = ResultRow()
        row.workload = "log-processing"
        let header = Array(ResultRow.columns.dropLast())
        let read = try ResultReader(text: ResultWriter.encode([header, Array(row.fields.dropLast())]))
        #expect(read.rows == [row])
        #expect(read.rows[0].lab == "")
    }

    @Test("the lab id comes from the file the lab carries; empty outside the lab")
    func labID() throws {
        let file = TestPaths.scratch() + "/ftlab-lab-id"
        #expect(RunIdentity.labID(file: file) == "")
        try "abc123\nignored\n".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(RunIdentity.labID(file: file) == "abc123")
        let manifest = try WorkloadManifest.parse(
            "name = \"w\"\ndescription = \"d\"\nquestion = \"q\"\nunit = \"ops\"\n[[variants]]\nname = \"v\"\nquestion = \"q\"\n",
            path: "m")
        let configuration = RunConfiguration(
            workload: Workload(directory: "/w", manifest: manifest), variant: "v", params: [:],
            interpreter: InterpreterChoice(label: "py", path: "/py"), threads: 1, placement: .unpinned,
            allocator: .system, env: [], seed: 1)
        let identity = RunIdentity(runID: "r", startedUTC: "", host: "", cpuModel: "", kernel: "", numaNodes: 1,
                                   cpusOnline: 1, smt: false, suiteRev: "", lab: "abc123")
        #expect(RowMaker(identity: identity).baseRow(for: configuration).lab == "abc123")
    }

    @Test("a corpus copied out of git keeps the revision recorded beside it", .tags(.integration), .skippedInUnitRuns)
    func recordedRevision() async throws {
        let corpus = TestPaths.scratch("corpus")
        #expect(await RunIdentity.suiteRevision(of: corpus) == "unknown")
        try "0123456789ab-dirty\n".write(toFile: corpus + "/.suite-rev", atomically: true, encoding: .utf8)
        #expect(await RunIdentity.suiteRevision(of: corpus) == "0123456789ab-dirty")
    }
}
