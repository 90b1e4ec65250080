import CSV
import Foundation

/// Reads a results CSV written by any ftlab of schema v1.
public struct ResultReader {
    /// The rows read, in file order.
    public var rows: [ResultRow]
    /// Non-fatal problems found while reading (a cut-off last line, for example).
    public var warnings: [String]
    /// A complete but malformed last line (a torn write followed by a later newline, or a
    /// stray append), as CSV text: left out of `rows`; `--resume` sets it aside.
    public var rejectedTail: String?

    /// Reads and validates `path`. Unknown trailing columns are accepted and ignored.
    public init(path: String) throws(ResultsError) {
        var isFolder: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
        if isFolder.boolValue { throw .cannotRead(path: path, reason: "it is a folder, not a CSV file") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .cannotRead(path: path, reason: exists ? "permission denied" : "no such file")
        }
        try self.init(text: String(decoding: data, as: UTF8.self), path: path)
    }

    /// Parses CSV `text`; `path` only names the source in messages.
    public init(text: String, path: String = "<input>") throws(ResultsError) {
        guard !text.isEmpty else { throw .cannotRead(path: path, reason: "the file is empty") }
        var text = text
        warnings = []
        // Bytes, not Characters: "\r\n" (RFC 4180's line end) is one Character, not "\n".
        let newline = UInt8(ascii: "\n")
        if let last = text.utf8.last, last != newline {
            // A row cut off by a crash or power loss: drop it rather than misread it.
            let keep = text.utf8.index(text.utf8.startIndex, offsetBy: Self.completeLength(of: text.utf8))
            warnings.append("\(path): the last line is incomplete (the writer was interrupted); it was dropped")
            text = String(text[..<keep])
        }
        let reader: CSVReader
        do { reader = try CSVReader(string: text, hasHeaderRow: true) } catch {
            throw .cannotRead(path: path, reason: "\(error)")
        }
        guard let header = reader.headerRow else {
            throw .missingColumns(path: path, columns: ResultRow.columns)
        }
        let missing = ResultRow.columns.filter { !header.contains($0) && !ResultRow.laterColumns.contains($0) }
        if !missing.isEmpty { throw .missingColumns(path: path, columns: missing) }
        let index = Dictionary(header.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        var records: [[String]] = []
        while let record = reader.next() {
            records.append(record)
        }
        // A blank last record is the file's final newline, not a row.
        while let last = records.last, last.count == 1, last[0].isEmpty { records.removeLast() }
        var rows: [ResultRow] = []
        rejectedTail = nil
        for (offset, record) in records.enumerated() {
            let line = offset + 2
            guard record.count == header.count else {
                // A last line with the wrong number of fields is a torn tail (a cut-off write
                // followed by a later newline, or a stray append); anywhere else it is damage,
                // and damage is not guessed at.
                guard offset == records.count - 1 else {
                    throw .badLine(path: path, line: line, fields: record.count, expected: header.count,
                                   start: String(record.joined(separator: ",").prefix(60)))
                }
                rejectedTail = ResultWriter.encode([record])
                warnings.append("\(path):\(line): the last line is malformed (\(record.count) fields where the header has "
                                + "\(header.count)), as a torn write or a stray append leaves it; it was left out")
                continue
            }
            let field: (String) -> String = { name in
                guard let i = index[name] else { return "" }  // a later column an older file lacks
                return record[i]
            }
            rows.append(try Self.decode(field, path: path, line: line))
        }
        self.rows = rows
    }

    /// How many leading bytes of `bytes` are whole CSV records: up to the last newline outside
    /// quotes (a quoted message may hold newlines), so a cut-off record is dropped whole.
    package static func completeLength<Bytes: Collection<UInt8>>(of bytes: Bytes) -> Int {
        var keep = 0, offset = 0, quoted = false
        for byte in bytes {
            offset += 1
            if byte == UInt8(ascii: "\"") { quoted.toggle() } else if byte == UInt8(ascii: "\n"), !quoted { keep = offset }
        }
        return keep
    }

    package static func decode(_ field: (String) -> String, path: String, line: Int) throws(ResultsError) -> ResultRow {
        guard field("schema") == String(ResultSchema.version) else {
            throw .unsupportedSchema(path: path, found: field("schema"))
        }
        var row = ResultRow()
        for column in ResultSchema.columns {
            let value = field(column.name)
            if let expected = column.read(&row, value) {
                throw .badValue(path: path, line: line, column: column.name, value: value, expected: expected)
            }
        }
        return row
    }
}
