import Foundation
import Testing
@testable import FTLabCore

/// The byte-level reader and writer on files larger than the reader's 1 MiB chunk: quoting,
/// line ends split across chunks, the torn-tail rule and streaming merge.
@Suite("Results CSV at scale")
struct ResultsAtScaleTests {
    /// Rows whose text fields hold commas, quotes, LF and CRLF, of varying length so records
    /// straddle the chunk boundaries at many offsets.
    static func awkwardRows(_ count: Int) -> [ResultRow] {
        (0..<count).map { i in
            var row = ResultRow()
            row.runID = "run-\(i / 500)"
            row.workload = "log-processing"
            row.variant = i % 3 == 0 ? "shared,lock" : "partitioned"
            row.params = "pattern=\"a|b\";n=\(i % 7)"
            row.cpuModel = "Intel(R) Xeon(R) \"Platinum\" 8000, 2 GHz"
            row.process = i / 5 + 1
            row.sample = i % 5 + 1
            row.throughput = Double(i) * 1.25 + 0.1
            row.latencyP99us = i % 2 == 0 ? nil : Double(i) / 3
            row.message = String(repeating: "a,\"b\"\nc\r\n", count: i % 40) + (i % 11 == 0 ? " padded " : "")
            row.status = i % 13 == 0 ? .failed : .ok
            return row
        }
    }

    static func bytes(_ path: String) throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

    /// The records of `bytes` split byte by byte (unquoted fields only: the reference for the
    /// word-at-a-time scan): fields end at `,`, records at LF, CRLF or a lone CR.
    static func plainRecords(_ bytes: [UInt8]) -> [[Range<Int>]] {
        var records: [[Range<Int>]] = [], fields: [Range<Int>] = [], start = 0, i = 0
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: ","): fields.append(start..<i); start = i + 1; i += 1
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                fields.append(start..<i); records.append(fields); fields = []
                i += bytes[i] == UInt8(ascii: "\r") && i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "\n") ? 2 : 1
                start = i
            default: i += 1
            }
        }
        if start < bytes.count || !fields.isEmpty { fields.append(start..<bytes.count); records.append(fields) }
        return records
    }

    @Test("unquoted fields split eight bytes at a time as byte by byte; short fields compare as memcmp does")
    func wordAtATime() {
        var generator = SeededGenerator(seed: 8)
        let alphabet = Array("ab,\r\n0123456789.-".utf8)
        for _ in 0..<3_000 {
            let bytes = (0..<Int(generator.next() % 80) + 1).map { _ in
                generator.next() % 3 == 0 ? alphabet[Int(generator.next() % 5) + 1] : alphabet[Int(generator.next() % UInt64(alphabet.count))]
            }.filter { $0 != UInt8(ascii: "\"") }
            guard !bytes.isEmpty else { continue }
            var split: [[Range<Int>]] = []
            var fields: [CSVBytes.Field] = []
            bytes.withUnsafeBufferPointer { buffer in
                var position = 0
                while position < buffer.count, let next = CSVBytes.record(in: buffer, from: position, atEnd: true, fields: &fields) {
                    split.append(fields.map { $0.start..<$0.end })
                    position = next
                }
            }
            #expect(split == Self.plainRecords(bytes), "\(String(decoding: bytes, as: UTF8.self).debugDescription)")
            // Any two short stretches of the bytes, as one word or by memcmp.
            let count = Int(generator.next() % 12)
            guard bytes.count > count else { continue }
            let a = Int(generator.next() % UInt64(bytes.count - count)), b = Int(generator.next() % UInt64(bytes.count - count))
            bytes.withUnsafeBufferPointer { buffer in
                #expect(CSVBytes.equal(buffer, a, buffer, b, count: count) == bytes[a..<(a + count)].elementsEqual(bytes[b..<(b + count)]))
            }
        }
    }

    @Test("numbers read from bytes equal Int(String) and Double(String) bit for bit, or are left to them")
    func plainNumbers() {
        var generator = SeededGenerator(seed: 33)
        var texts = ["0", "-0", "0.0", "-0.0", "007", "1.", ".5", "+1", "1e5", "1E-7", "nan", "inf", "-", "", "1.2.3", " 1",
                     "9007199254740993", "0.1", "0.30000000000000004", "123456789012345678", "1234567890123456789",
                     "968383551.6986057", "0.9477781358384516", "1.5e-07", "0.0000000000000000000001", "99999999999999999999.5",
                     "9007199254740995", "18446744073709551615", "9999999999999999999", "0.1000000000000000055511151231257827",
                     "2.2250738585072014", "1.7976931348623157", "4.9406564584124654", "0.0000000000000000000012345678901234567"]
        // Halfway between two doubles (ties go to the even significand), and just either side.
        texts += ["4503599627370496.5", "4503599627370497.5", "4503599627370496.49", "4503599627370496.51",
                  "9007199254740993", "9007199254740993.0", "9007199254740992.9", "1152921504606846977"]
        for _ in 0..<20_000 {
            let integer = String(generator.next() % 1_000_000_000_000 >> (generator.next() % 40))
            let fraction = String(generator.next() >> (generator.next() % 64))
            let sign = generator.next() % 4 == 0 ? "-" : ""
            texts.append(sign + integer)
            texts.append(sign + integer + "." + fraction)
            texts.append(sign + integer + "." + String(repeating: "0", count: Int(generator.next() % 20)) + fraction.prefix(Int(generator.next() % 18) + 1))
        }
        for text in texts {
            let bytes = Array(text.utf8)
            bytes.withUnsafeBufferPointer { bytes in
                if let value = PlainNumber.decimal(bytes) {
                    #expect(value.bitPattern == Double(text)?.bitPattern, "\(text)")
                }
                if let value = PlainNumber.integer(bytes) {
                    #expect(value == Int(text), "\(text)")
                }
            }
        }
        #expect(texts.filter { text in Array(text.utf8).withUnsafeBufferPointer { PlainNumber.decimal($0) != nil } }.count > 40_000)
    }

    @Test("quoted fields with commas, quotes and newlines round-trip over many chunks; merge writes the same bytes")
    func awkwardFieldsAtScale() throws {
        let rows = Self.awkwardRows(12_000)
        let directory = TestPaths.scratch()
        let path = directory + "/awkward.csv"
        try ResultFile.rewrite(path: path, keeping: rows)
        let written = try Self.bytes(path)
        #expect(written.count > 3 << 20, "the file should span several read chunks")
        let read = try ResultReader(path: path)
        #expect(read.rows == rows)
        #expect(read.warnings.isEmpty && read.rejectedTail == nil)
        // The same text through the in-memory path.
        #expect(try ResultReader(text: String(decoding: written, as: UTF8.self)).rows == rows)
        // Streaming merge: header-only + the file writes the file again, byte for byte.
        let headerOnly = directory + "/header.csv"
        try ResultFile.rewrite(path: headerOnly, keeping: [])
        let merged = directory + "/merged.csv"
        try ResultFile.merge([headerOnly, path], into: merged)
        #expect(try Self.bytes(merged) == written)
        let twice = directory + "/twice.csv"
        try ResultFile.merge([path, path], into: twice)
        #expect(try ResultReader(path: twice).rows == rows + rows)
    }

    /// A CRLF file in which one byte of the first row falls on the last byte of the reader's
    /// first 1 MiB chunk: a line end's CR (its LF in the next chunk), a closing quote (its comma
    /// in the next), either half of a doubled quote.
    @Test("records cut at the chunk boundary read whole", arguments: [
        ("first of a doubled quote", 2), ("second of a doubled quote", 3), ("closing quote", 5), ("CR", -1),
    ])
    func chunkBoundary(_ what: String, offset: Int) throws {
        var rows = Self.awkwardRows(40)
        func file() -> [UInt8] {
            var text = CSVBytes.appendedRecord(ResultRow.columns)
            for row in rows { text += Self.line(row) }
            return text.replacingCRLF()
        }
        // The message `"x` is written `,"""x",`: an opening quote, a doubled one, x, a closing quote.
        rows[0].message = "\"x"
        let probe = file()
        let field = try #require(probe.firstRange(of: Array(",\"\"\"x\",".utf8))).lowerBound
        let lineEnd = try #require(probe[field...].firstRange(of: [13, 10])).lowerBound
        let position = offset < 0 ? lineEnd : field + offset
        // Padding after the opening quote moves the byte to the chunk's last one.
        rows[0].message = String(repeating: "y", count: (1 << 20) - 1 - position) + "\"x"
        let bytes = file()
        #expect(bytes[(1 << 20) - 1] == (offset < 0 ? 13 : 34), "\(what)")
        let path = TestPaths.scratch() + "/boundary.csv"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let read = try ResultReader(path: path)
        #expect(read.rows == rows, "\(what)")
        #expect(read.warnings.isEmpty)
    }

    static func line(_ row: ResultRow) -> [UInt8] {
        var bytes: [UInt8] = []
        ResultWriter.append(row, to: &bytes)
        return bytes
    }

    @Test("a torn last line of a large file: cut off, it is dropped; complete but malformed, it is set aside")
    func tornTail() throws {
        let rows = Self.awkwardRows(6_000)
        let directory = TestPaths.scratch()
        let path = directory + "/run.csv"
        try ResultFile.rewrite(path: path, keeping: rows)
        let whole = try Self.bytes(path)
        let torn = Array(Self.line(rows[7]).prefix(150))

        let cut = directory + "/cut.csv"
        try Data(whole + torn).write(to: URL(fileURLWithPath: cut))
        let cutRead = try ResultReader(path: cut)
        #expect(cutRead.rows == rows)
        #expect(cutRead.warnings.count == 1 && cutRead.warnings[0].contains("incomplete"))

        let stray = directory + "/stray.csv"
        try Data(whole + Array("1,run,x\n\n".utf8)).write(to: URL(fileURLWithPath: stray))
        let strayRead = try ResultReader(path: stray)
        #expect(strayRead.rows == rows)
        #expect(strayRead.rejectedTail == "1,run,x\n")
        #expect(strayRead.warnings.count == 1 && strayRead.warnings[0].contains(":\(rows.count + 2): the last line is malformed"))

        // The same line before the last row is damage, named by its record's line.
        let middle = directory + "/middle.csv"
        try Data(whole + Array("1,run,x\n".utf8) + Self.line(rows[0])).write(to: URL(fileURLWithPath: middle))
        let error = #expect(throws: ResultsError.self) { try ResultReader(path: middle) }
        #expect(error == .badLine(path: middle, line: rows.count + 2, fields: 3, expected: ResultRow.columns.count,
                                  start: "1,run,x"))
        // A blank line is damage in the middle, and nothing at the end.
        let blank = directory + "/blank.csv"
        try Data(whole + [10] + Self.line(rows[0])).write(to: URL(fileURLWithPath: blank))
        #expect(throws: ResultsError.self) { try ResultReader(path: blank) }
        try Data(whole + [10, 10]).write(to: URL(fileURLWithPath: blank))
        let trailing = try ResultReader(path: blank)
        #expect(trailing.rows == rows && trailing.warnings.isEmpty && trailing.rejectedTail == nil)
    }

    /// The reader finds record ends as it reads: a cut-off row longer than its 1 MiB block (a
    /// message of several lines, still inside its quotes) is dropped whole.
    @Test("a cut-off row longer than the read block is dropped whole")
    func longTornTail() throws {
        let rows = Self.awkwardRows(300)
        let path = TestPaths.scratch() + "/long-tail.csv"
        try ResultFile.rewrite(path: path, keeping: rows)
        var tail = rows[1]
        tail.message = String(repeating: "line,\n", count: 300_000)
        try Data(try Self.bytes(path) + Self.line(tail).dropLast(2)).write(to: URL(fileURLWithPath: path))
        let read = try ResultReader(path: path)
        #expect(read.rows == rows)
        #expect(read.warnings.count == 1 && read.warnings[0].contains("incomplete"))
        #expect(read.rejectedTail == nil)
    }

    /// Rows are decoded on every core, a block at a time: the error is still the first bad
    /// value in file order, after exactly the rows before it.
    @Test("of two bad values in one block, the first in file order is reported, after the rows before it")
    func firstBadValueWins() throws {
        let rows = Self.awkwardRows(3_000)
        var bytes = CSVBytes.appendedRecord(ResultRow.columns)
        for (index, row) in rows.enumerated() {
            var line = Self.line(row)
            if index == 900 || index == 2_100 {
                let status = Array(",\(row.status.rawValue),".utf8), wrong = Array(",maybe,".utf8)
                let at = try #require(line.indices.reversed().first { line[$0...].starts(with: status) })
                line.replaceSubrange(at..<(at + status.count), with: wrong)
            }
            bytes += line
        }
        let path = TestPaths.scratch() + "/two-bad.csv"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        var seen: [ResultRow] = []
        let error = #expect(throws: ResultsError.self) { try ResultReader.forEachRow(path: path) { seen.append($0) } }
        #expect(error == .badValue(path: path, line: 902, column: "status", value: "maybe", expected: "ok, failed, timeout"))
        #expect(seen == Array(rows.prefix(900)))
    }

    /// A pipe has no size up front: it is read whole, then split as a file is (torn tail included).
    @Test("a results file given as a named pipe reads as the file does")
    func namedPipe() throws {
        let rows = Self.awkwardRows(4_000)
        let directory = TestPaths.scratch()
        let path = directory + "/run.csv"
        try ResultFile.rewrite(path: path, keeping: rows)
        let bytes = try Self.bytes(path) + Array("1,cut".utf8)
        let fifo = directory + "/run.fifo"
        try #require(mkfifo(fifo, 0o600) == 0)
        let writer = Thread {
            let handle = FileHandle(forWritingAtPath: fifo)!
            handle.write(Data(bytes))
            try? handle.close()
        }
        writer.start()
        let read = try ResultReader(path: fifo)
        #expect(read.rows == rows)
        #expect(read.warnings.count == 1 && read.warnings[0].contains("incomplete"))
    }

    @Test("merge streams: a bad row late in an input leaves no output and no partial file behind")
    func mergeFailsWhole() throws {
        let rows = Self.awkwardRows(3_000)
        let directory = TestPaths.scratch()
        let good = directory + "/good.csv"
        try ResultFile.rewrite(path: good, keeping: rows)
        var badRow = Self.line(rows[1])
        let status = Array(",ok,".utf8), wrong = Array(",maybe,".utf8)
        let at = try #require(badRow.indices.reversed().first { badRow[$0...].starts(with: status) })
        badRow.replaceSubrange(at..<(at + status.count), with: wrong)
        let bad = directory + "/bad.csv"
        try Data(try Self.bytes(good) + badRow + Self.line(rows[1])).write(to: URL(fileURLWithPath: bad))
        let output = directory + "/all.csv"
        let error = #expect(throws: ResultsError.self) { try ResultFile.merge([good, bad], into: output) }
        #expect(error == .badValue(path: bad, line: rows.count + 2, column: "status", value: "maybe",
                                   expected: "ok, failed, timeout"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory).sorted() == ["bad.csv", "good.csv"])
    }
}

extension CSVBytes {
    /// `record` as one CSV line.
    static func appendedRecord(_ record: [String]) -> [UInt8] {
        var bytes: [UInt8] = []
        appendRecord(record, to: &bytes)
        return bytes
    }
}

extension [UInt8] {
    /// Every LF outside quotes turned into CRLF (line ends only; newlines inside fields stay).
    func replacingCRLF() -> [UInt8] {
        var out: [UInt8] = []
        var quoted = false
        for byte in self {
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if byte == UInt8(ascii: "\n"), !quoted { out.append(UInt8(ascii: "\r")) }
            out.append(byte)
        }
        return out
    }
}
