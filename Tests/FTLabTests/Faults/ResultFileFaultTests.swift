import Foundation
import Testing
@testable import FTLabCore
@testable import FTLabRunner

/// Damage to a results file is diagnosed, never guessed at, and nothing it held is lost.
@Suite struct ResultFileFaultTests {
    /// A small valid results file: a header and `rows` rows of one process each.
    static func file(rows count: Int) -> String {
        let rows = (1...count).map { process -> ResultRow in
            var row = ResultRow()
            row.runID = "20261201T000000Z-0001"
            row.workload = "w"
            row.variant = "v"
            row.interpreter = "i"
            row.process = process
            row.sample = 1
            row.unit = "ops"
            return row
        }
        return ResultWriter.encode([ResultRow.columns] + rows.map(\.fields))
    }

    @Test("a complete but malformed last line is a torn tail: left out with a warning, kept as text")
    func malformedLastLine() throws {
        let text = Self.file(rows: 3) + "1,20261201T074543Z-79c1,garbage\n"
        let reader = try ResultReader(text: text, path: "run.csv")
        #expect(reader.rows.count == 3)
        #expect(reader.rejectedTail == "1,20261201T074543Z-79c1,garbage\n")
        #expect(reader.warnings.count == 1)
        #expect(reader.warnings[0].hasPrefix("run.csv:5: the last line is malformed (3 fields where the header has \(ResultRow.columns.count))"))
    }

    @Test("a malformed line anywhere else: the error names the line, the field counts and how it starts")
    func malformedMiddleLine() throws {
        var lines = Self.file(rows: 3).split(separator: "\n", omittingEmptySubsequences: false)
        lines.insert("x,y", at: 2)
        let error = #expect(throws: ResultsError.self) { try ResultReader(text: lines.joined(separator: "\n"), path: "run.csv") }
        #expect(error == .badLine(path: "run.csv", line: 3, fields: 2, expected: ResultRow.columns.count, start: "x,y"))
        #expect(error?.description.contains("run.csv:3: 2 fields where the header has") == true)
        #expect(error?.exitCode == 2)
    }

    @Test("a bad value is an error wherever it stands: only a wrong field count makes a torn tail")
    func badValue() throws {
        var row = Self.file(rows: 1).split(separator: "\n")[1].split(separator: ",", omittingEmptySubsequences: false)
        row[ResultRow.columns.firstIndex(of: "threads")!] = "many"
        let bad = row.joined(separator: ",")
        let error = #expect(throws: ResultsError.self) { try ResultReader(text: Self.file(rows: 2) + bad + "\n") }
        #expect(error == .badValue(path: "<input>", line: 4, column: "threads", value: "many", expected: "an integer"))
    }

    @Test("--resume sets a malformed last line aside in FILE.rejected and goes on with the good rows")
    func resumeSetsTheTailAside() throws {
        let dir = TestPaths.scratch()
        let path = dir + "/run.csv"
        try (Self.file(rows: 2) + "1,torn\n").write(toFile: path, atomically: true, encoding: .utf8)
        var identity = RunIdentity(runID: "new", startedUTC: "", host: "", cpuModel: "", kernel: "", numaNodes: 1, cpusOnline: 1, smt: false, suiteRev: "")
        let output = try RunOutput.prepare(path: path, resume: true, samplesPerProcess: 1, identity: &identity)
        #expect(try String(contentsOfFile: path + ".rejected", encoding: .utf8) == "1,torn\n")
        #expect(try ResultReader(path: path).rows.count == 2)
        #expect(try ResultReader(path: path).rejectedTail == nil)
        #expect(identity.runID == "20261201T000000Z-0001")
        #expect(output.warnings.contains { $0.contains("run.csv.rejected") })
    }

    @Test("--resume on a file damaged in the middle exits 2 and leaves the file as it was")
    func resumeRefusesDamage() throws {
        let dir = TestPaths.scratch()
        let path = dir + "/run.csv"
        var lines = Self.file(rows: 3).split(separator: "\n", omittingEmptySubsequences: false)
        lines.insert("x,y", at: 2)
        let text = lines.joined(separator: "\n")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        var identity = RunIdentity(runID: "new", startedUTC: "", host: "", cpuModel: "", kernel: "", numaNodes: 1, cpusOnline: 1, smt: false, suiteRev: "")
        #expect(throws: ResultsError.self) {
            try RunOutput.prepare(path: path, resume: true, samplesPerProcess: 1, identity: &identity)
        }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == text)
    }

    @Test("one writer per output: a second lock on the same file is refused naming the holder's pid")
    func oneWriter() throws {
        let path = TestPaths.scratch() + "/run.csv"
        let first = try OutputLock(for: path)
        let error = #expect(throws: ResultsError.self) { try OutputLock(for: path) }
        #expect(error == .busy(path: path, holder: String(getpid())))
        #expect(throws: ResultsError.self) { try OutputLock.checkFree(path) }
        #expect(throws: ResultsError.self) { try ResultFile.merge([path, path], into: path) }
        withExtendedLifetime(first) {}
    }

    @Test("the lock goes with its holder: once released, the next writer takes it")
    func lockReleased() throws {
        let path = TestPaths.scratch() + "/run.csv"
        do { _ = try OutputLock(for: path) }
        let second = try OutputLock(for: path)
        try OutputLock.checkFree(TestPaths.scratch() + "/other.csv")
        withExtendedLifetime(second) {}
    }

    @Test("a full disk is one plain sentence that says how to go on")
    func noSpaceMessage() {
        let posix = NSError(domain: NSPOSIXErrorDomain, code: Int(ENOSPC))
        let cocoa = NSError(domain: NSCocoaErrorDomain, code: NSFileWriteOutOfSpaceError,
                            userInfo: [NSUnderlyingErrorKey: posix])
        for error in [posix, cocoa] {
            let mapped = ResultsError.writing("run.csv", error)
            #expect(mapped == .noSpace(path: "run.csv"))
            #expect(mapped.description.contains("no space left on device for run.csv"))
            #expect(mapped.description.contains("--resume"))
        }
        #expect(ResultsError.writing("run.csv", NSError(domain: NSPOSIXErrorDomain, code: Int(EACCES))) != .noSpace(path: "run.csv"))
    }
}
