import CSV
import Foundation

/// Appends rows to a results CSV and flushes them to the kernel as each batch is written,
/// so a crash of the runner never loses a finished measurement.
public final class ResultWriter {
    public let path: String
    private let handle: FileHandle

    /// Opens `path` for appending, writing the header when the file is new or empty.
    /// A file whose last record was cut short (no record-ending newline: one inside a quoted
    /// field does not count) is truncated back to its last complete record first.
    public init(path: String) throws(ResultsError) {
        self.path = path
        let fm = FileManager.default
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty, !fm.fileExists(atPath: directory) {
            do { try fm.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
                throw .cannotWrite(path: path, reason: "\(error.localizedDescription)")
            }
        }
        if !fm.fileExists(atPath: path), !fm.createFile(atPath: path, contents: nil) {
            throw .cannotWrite(path: path, reason: "cannot create the file")
        }
        guard let handle = FileHandle(forUpdatingAtPath: path) else {
            throw .cannotWrite(path: path, reason: "cannot open for writing")
        }
        self.handle = handle
        do {
            let existing = try handle.readToEnd() ?? Data()
            if existing.isEmpty {
                try handle.write(contentsOf: Data(Self.encode([ResultRow.columns]).utf8))
            } else if case let keep = ResultReader.completeLength(of: existing), keep != existing.count {
                try handle.truncate(atOffset: UInt64(keep))
                if keep == 0 { try handle.write(contentsOf: Data(Self.encode([ResultRow.columns]).utf8)) }
            }
            try handle.seekToEnd()
        } catch {
            throw ResultsError.writing(path, error)
        }
    }

    deinit { try? handle.close() }

    /// Appends `rows` and flushes them to the file (the rows of one finished process).
    public func append(_ rows: [ResultRow]) throws(ResultsError) {
        guard !rows.isEmpty else { return }
        do {
            try handle.write(contentsOf: Data(Self.encode(rows.map(\.fields)).utf8))
            try handle.synchronize()
        } catch {
            throw ResultsError.writing(path, error)
        }
    }

    /// RFC 4180 text for `records`, LF line endings, quoting only where needed.
    package static func encode(_ records: [[String]]) -> String {
        let stream = OutputStream(toMemory: ())
        stream.open()
        defer { stream.close() }
        // CSV.swift writes CRLF by default; results use LF.
        let writer = try! CSVWriter(stream: stream, newline: .lf)
        for record in records {
            try! writer.write(row: record, quotedAtIndex: { index in
                Self.needsQuotes(record[index])
            })
        }
        let data = stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
        var text = String(decoding: data, as: UTF8.self)
        if !text.hasSuffix("\n") { text += "\n" }
        return text
    }

    package static func needsQuotes(_ field: String) -> Bool {
        field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
            || field.hasPrefix(" ") || field.hasSuffix(" ")
    }
}

/// Problems reading or writing a results CSV.
public enum ResultsError: FTLabError, Equatable {
    case cannotRead(path: String, reason: String)
    case cannotWrite(path: String, reason: String)
    case missingColumns(path: String, columns: [String])
    case badValue(path: String, line: Int, column: String, value: String, expected: String)
    case unsupportedSchema(path: String, found: String)
    case busy(path: String, holder: String)
    case noSpace(path: String)
    case badLine(path: String, line: Int, fields: Int, expected: Int, start: String)

    public var description: String {
        switch self {
        case let .cannotRead(path, reason): "cannot read results file \(path): \(reason)"
        case let .cannotWrite(path, reason): "cannot write results file \(path): \(reason)"
        case let .missingColumns(path, columns):
            "\(path) is not an ftlab results CSV: missing column(s) \(columns.joined(separator: ", "))"
        case let .badValue(path, line, column, value, expected):
            "\(path):\(line): column \(column) has \"\(value)\"; expected \(expected)"
        case let .noSpace(path):
            "no space left on device for \(path); the rows written before are intact: free some space "
                + "and run the same command again with --resume"
        case let .busy(path, holder):
            "\(path) is being written by another ftlab (pid \(holder.isEmpty ? "unknown" : holder)); "
                + "wait for it to finish, or choose another -o"
        case let .badLine(path, line, fields, expected, start):
            "\(path):\(line): \(fields) field\(fields == 1 ? "" : "s") where the header has \(expected) "
                + "(the line starts \"\(start)\"); the file is damaged there and was not changed"
        case let .unsupportedSchema(path, found):
            "\(path): schema \(found) is not supported (this ftlab reads schema \(ResultRow.schemaVersion))"
        }
    }
}

extension ResultsError {
    /// The error for a failed write of `path`: a full disk in one plain sentence, anything
    /// else with the system's reason.
    static func writing(_ path: String, _ error: any Error) -> ResultsError {
        let ns = error as NSError
        let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError
        let full = (ns.domain == NSCocoaErrorDomain && ns.code == NSFileWriteOutOfSpaceError)
            || (ns.domain == NSPOSIXErrorDomain && ns.code == Int(ENOSPC))
            || (underlying?.domain == NSPOSIXErrorDomain && underlying?.code == Int(ENOSPC))
        return full ? .noSpace(path: path) : .cannotWrite(path: path, reason: ns.localizedDescription)
    }
}

/// Whole-file operations on a results CSV.
public enum ResultFile {
    /// The log folder of the results file at `path` (`RUN.logs` beside `RUN.csv`).
    public static func logDirectory(for path: String) -> String {
        path.replacingOccurrences(of: ".csv", with: "") + ".logs"
    }

    /// Reads every input (each checked against schema v1), checks that the sharded runs among
    /// them hold each shard of their plan exactly once (``ShardCheck``), and writes their rows,
    /// in order, to `output` in the current column order. Returns the warnings the readers raised.
    @discardableResult
    public static func merge(_ inputs: [String], into output: String) throws -> [String] {
        try OutputLock.checkFree(output)
        var read: [(path: String, rows: [ResultRow])] = []
        var warnings: [String] = []
        for input in inputs {
            let reader = try ResultReader(path: input)
            read.append((input, reader.rows))
            warnings += reader.warnings
        }
        try ShardCheck.check(read)
        try rewrite(path: output, keeping: read.flatMap(\.rows))
        return warnings
    }

    /// Atomically replaces `path` with a header and `rows` (used by `--resume` to drop the
    /// rows of a process that was cut off mid-write).
    public static func rewrite(path: String, keeping rows: [ResultRow]) throws(ResultsError) {
        let text = ResultWriter.encode([ResultRow.columns] + rows.map(\.fields))
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ResultsError.writing(path, error)
        }
    }
}
