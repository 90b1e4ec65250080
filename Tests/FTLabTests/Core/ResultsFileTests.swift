import Foundation
import Testing
import FTLabCore
import FTLabRunner
import FTLabAnalysis

@Suite struct ResultsFileTests {
    @Test func awkwardFieldsRoundTrip() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var rows = Setup.gil.with { $0.env = "PYTHONMALLOC=malloc;NOTE=a,b" }.rows(throughput: [1.5, 2.25e6, 0.1])
        rows[0].message = "Traceback:\n  File \"x.py\", line 1\nValueError: bad, \"value\""
        rows[1].message = " leading and trailing space "
        rows[2].params = "pattern=\"a|b\";n=3"
        rows[2].latencyP99us = 123.456
        let path = try writeResults(rows, to: directory, name: "awkward.csv")
        let reader = try ResultReader(path: path)
        #expect(reader.rows == rows)
        #expect(reader.warnings.isEmpty)
    }

    @Test func cutOffLastLineIsDroppedWithAWarning() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let rows = Setup.gil.rows(throughput: [100, 101, 102])
        let path = try writeResults(rows, to: directory, name: "cut.csv")
        let partial = ResultRow().fields.prefix(20).joined(separator: ",")
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(partial.utf8))
        try handle.close()
        let reader = try ResultReader(path: path)
        #expect(reader.rows == rows)
        #expect(reader.warnings.count == 1)
        #expect(reader.warnings[0].contains("cut.csv") && reader.warnings[0].contains("incomplete"))
    }

    /// RFC 4180's own line end, as Python's csv module and spreadsheets write it.
    @Test func crlfLineEndsAreRead() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var rows = Setup.gil.rows(throughput: [100, 101, 102])
        rows[1].message = "two\nlines"
        let path = try writeResults(rows, to: directory, name: "lf.csv")
        let crlf = try String(contentsOfFile: path, encoding: .utf8)
            .replacingOccurrences(of: "\n", with: "\r\n").replacingOccurrences(of: "two\r\nlines", with: "two\nlines")
        let reader = try ResultReader(text: crlf, path: "crlf.csv")
        #expect(reader.rows == rows && reader.warnings.isEmpty)
        let cut = try ResultReader(text: crlf + "schema,partial", path: "cut.csv")
        #expect(cut.rows == rows && cut.warnings.count == 1)
    }

    @Test func compareThroughFiles() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let base = try writeResults(CompareTests.run(seed: 1), to: directory, name: "base.csv")
        let new = try writeResults(CompareTests.run(seed: 2, factor: 0.9), to: directory, name: "new.csv")
        let comparison = try Comparison(base: ResultReader(path: base).rows, new: ResultReader(path: new).rows,
                                        baseFile: base, newFile: new)
        #expect(comparison.results.count == 12)
        #expect(comparison.exitCode == 1)
    }

    @Test func nonNumericFigureNamesFileLineAndColumn() throws {
        var lines = ResultWriter.encode([ResultRow.columns] + Setup.gil.rows(throughput: [1, 2]).map(\.fields))
            .split(separator: "\n").map(String.init)
        // Same field count (a torn tail would be set aside), one figure that is not a number.
        lines[2] = lines[2].replacingOccurrences(of: #",lines,[^,]*,"#, with: ",lines,fast,", options: .regularExpression)
        let error = try #require(throws: ResultsError.self) {
            try ResultReader(text: lines.joined(separator: "\n") + "\n", path: "bad.csv")
        }
        guard case let .badValue(path, line, column, _, _) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(path == "bad.csv" && line == 3 && column == "wall_s")
        #expect(error.exitCode == 2)
    }

    @Test func notAResultsFile() {
        #expect(throws: ResultsError.self) { try ResultReader(text: "a,b\n1,2\n", path: "x.csv") }
        #expect(throws: ResultsError.self) { try ResultReader(text: "{\"json\": true}\n", path: "x.json") }
        #expect(throws: ResultsError.cannotRead(path: "empty.csv", reason: "the file is empty")) {
            try ResultReader(text: "", path: "empty.csv")
        }
        #expect(throws: ResultsError.cannotRead(path: "/nonexistent/x.csv", reason: "no such file")) {
            try ResultReader(path: "/nonexistent/x.csv")
        }
    }

    @Test func otherSchemaIsRefused() {
        var row = ResultRow()
        row.schema = 2
        #expect(throws: ResultsError.unsupportedSchema(path: "new.csv", found: "2")) {
            try ResultReader(text: ResultWriter.encode([ResultRow.columns, row.fields]), path: "new.csv")
        }
    }

    @Test func unknownTrailingColumnsAreAccepted() throws {
        let rows = Setup.gil.rows(throughput: [5])
        let text = ResultWriter.encode([ResultRow.columns + ["future"], rows[0].fields + ["x"]])
        #expect(try ResultReader(text: text).rows == rows)
    }
}
