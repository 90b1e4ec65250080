import Foundation
import Testing
import FTLabCore
import FTLabRunner

@Suite("Results CSV")
struct ResultsTests {
    func sampleRow(_ i: Int) -> ResultRow {
        var row = ResultRow()
        row.runID = "run-1"
        row.workload = "log-processing"
        row.variant = "partitioned"
        row.params = "lines=20000;mode=a,b"
        row.interpreter = PinnedPair.freeThreaded
        row.build = "freethreaded"
        row.gilEnabled = false
        row.threads = 2
        row.process = 1
        row.sample = i
        row.ops = 1000 + i
        row.wallSeconds = 0.125
        row.throughput = 8000.5
        row.latencyP99us = 12.5
        row.cpuModel = "Intel(R) Xeon(R) \"Platinum\" 8000, 2 GHz"
        row.message = "line one\nline \"two\", with comma\r\nand CRLF"
        row.status = .failed
        return row
    }

    @Test("rows round-trip through the writer and reader, quotes, commas and newlines included")
    func roundTrip() throws {
        let path = TestPaths.scratch() + "/r.csv"
        let writer = try ResultWriter(path: path)
        let rows = (1...3).map(sampleRow)
        try writer.append(rows)
        let read = try ResultReader(path: path)
        #expect(read.rows == rows)
        #expect(read.warnings.isEmpty)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix(ResultRow.columns.joined(separator: ",") + "\n"))
        #expect(text.hasSuffix("\n"))
    }

    @Test("a cut-off last line is dropped with a warning, and the writer repairs the file")
    func truncatedLastLine() throws {
        let path = TestPaths.scratch() + "/r.csv"
        try ResultWriter(path: path).append([sampleRow(1), sampleRow(2)])
        // Cut the last row inside its message, just before the message's own newline (however
        // many columns follow it).
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let cut = try #require(text.range(of: "line one", options: .backwards)).upperBound
        try Data(text[..<cut].utf8).write(to: URL(fileURLWithPath: path))
        let read = try ResultReader(path: path)
        #expect(read.rows == [sampleRow(1)])
        #expect(read.warnings.count == 1, "\(read.warnings)")
        try ResultWriter(path: path).append([sampleRow(3)])
        let repaired = try ResultReader(path: path)
        #expect(repaired.rows == [sampleRow(1), sampleRow(3)], "\(repaired.warnings) \(repaired.rows.map(\.sample)) \(repaired.rows.map(\.packages))")
    }

    @Test("a row cut just after a newline inside its quoted message is dropped whole, and the writer repairs the file")
    func tornAfterAQuotedNewline() throws {
        let path = TestPaths.scratch() + "/r.csv"
        try ResultWriter(path: path).append([sampleRow(1), sampleRow(2)])
        // The file now ends with a LF, but inside the last row's open quote: no record ends there.
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let cut = try #require(text.range(of: "line one\n", options: .backwards)).upperBound
        try Data(text[..<cut].utf8).write(to: URL(fileURLWithPath: path))
        let read = try ResultReader(path: path)
        #expect(read.rows == [sampleRow(1)])
        #expect(read.warnings.count == 1, "\(read.warnings)")
        try ResultWriter(path: path).append([sampleRow(3)])
        #expect(try ResultReader(path: path).rows == [sampleRow(1), sampleRow(3)])
        let bytes = [UInt8](text[..<cut].utf8)
        #expect(try ResultReader(text: String(decoding: bytes, as: UTF8.self)).rows == [sampleRow(1)])
    }

    @Test("unknown trailing columns are accepted")
    func trailingColumns() throws {
        let header = (ResultRow.columns + ["future_column"]).joined(separator: ",")
        let row = sampleRow(1)
        let line = ResultWriter.encode([row.fields + ["x"]])
        let read = try ResultReader(text: header + "\n" + line)
        #expect(read.rows == [row])
    }

    @Test("a file that is not an ftlab CSV names the missing columns")
    func missingColumns() {
        #expect(throws: ResultsError.self) { try ResultReader(text: "a,b\n1,2\n") }
        do {
            _ = try ResultReader(text: "a,b\n1,2\n", path: "x.csv")
        } catch {
            #expect(error.description.contains("missing column(s) schema"))
            #expect(error.exitCode == 2)
        }
    }

    @Test("a bad value names the line, column and what was expected")
    func badValue() {
        var fields = sampleRow(1).fields
        fields[ResultRow.columns.firstIndex(of: "threads")!] = "two"
        let text = ResultWriter.encode([ResultRow.columns, fields])
        #expect(throws: ResultsError.badValue(path: "<input>", line: 2, column: "threads", value: "two", expected: "an integer")) {
            try ResultReader(text: text)
        }
    }

    @Test("each row reads its own values when it repeats, changes or restores the row before's fields")
    func fieldsReusedFromTheRowBefore() throws {
        // Rows that each differ from the one before in a few fields, of every kind: text
        // (quoted and not), integers, numbers (plain, exponent, empty), flags, status.
        var rows: [ResultRow] = []
        var row = sampleRow(1)
        row.status = .ok
        rows.append(row)
        row.sample = 2; row.throughput = 8000.25; rows.append(row)
        row.sample = -3; row.throughput = 1.5e-7; row.latencyP99us = nil; rows.append(row)
        row.message = "plain"; row.params = "a=1"; row.gilEnabled = nil; rows.append(row)
        row.message = "line one\nline \"two\""; row.threads = 8; row.status = .timeout; rows.append(row)
        row.throughput = -0.0; row.ops = 123_456_789_012_345_678; row.wallSeconds = .nan; rows.append(row)
        row.wallSeconds = 0.125; row.ops = Int.max; row.maxRSSKiB = 7; rows.append(row)
        rows.append(rows[0])
        let read = try ResultReader(text: ResultWriter.encode([ResultRow.columns] + rows.map(\.fields)))
        #expect(read.rows.count == rows.count)
        for (index, (got, wanted)) in zip(read.rows, rows).enumerated() {
            // NaN is not equal to itself: compare the written fields.
            #expect(got.fields == wanted.fields, "row \(index + 1)")
        }
        #expect(read.rows[5].throughput.sign == .minus)

        // Values the byte readers leave to Int(String) read as before; a bad one is still an
        // error of its own line, after a valid row whose other fields it repeats.
        var fields = rows[0].fields
        let threads = ResultRow.columns.firstIndex(of: "threads")!
        fields[threads] = "+2"
        #expect(try ResultReader(text: ResultWriter.encode([ResultRow.columns, rows[0].fields, fields])).rows[1].threads == 2)
        fields[threads] = "2x"
        #expect(throws: ResultsError.badValue(path: "<input>", line: 3, column: "threads", value: "2x", expected: "an integer")) {
            try ResultReader(text: ResultWriter.encode([ResultRow.columns, rows[0].fields, fields]))
        }
    }
}
