import Foundation

#if canImport(Glibc)
import Glibc
#endif

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
            // An existing file is scanned (not loaded) for its last record-ending LF; a torn row after it goes.
            let size = Int(try handle.seekToEnd())
            if size == 0 {
                try handle.write(contentsOf: Data(Self.encode([ResultRow.columns]).utf8))
            } else {
                let keep = InputFile.completeLength(handle.fileDescriptor, size: size)
                if keep < size {
                    try handle.truncate(atOffset: UInt64(keep))
                    if keep == 0 { try handle.write(contentsOf: Data(Self.encode([ResultRow.columns]).utf8)) }
                }
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
            var bytes: [UInt8] = []
            for row in rows { Self.append(row, to: &bytes) }
            try handle.write(contentsOf: Data(bytes))
            try handle.synchronize()
        } catch {
            throw ResultsError.writing(path, error)
        }
    }

    /// RFC 4180 text for `records`, LF line endings, quoting only where needed.
    package static func encode(_ records: [[String]]) -> String {
        var bytes: [UInt8] = []
        CSVBytes.append(records, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `row` as one CSV line, its fields in schema order.
    package static func append(_ row: ResultRow, to bytes: inout [UInt8]) {
        var row = row
        ResultSchema.columns.withUnsafeBufferPointer { columns in
            for index in columns.indices {
                if index > 0 { bytes.append(CSVBytes.comma) }
                CSVBytes.appendField(columns[index].field(in: &row), to: &bytes)
            }
        }
        bytes.append(CSVBytes.lf)
    }

    package static func needsQuotes(_ field: String) -> Bool { CSVBytes.needsQuotes(field) }
}

/// A new file written through one buffer and `write(2)`, then put at its path in one
/// `rename(2)`: a reader sees the old file or the complete new one.
package final class AtomicFileOutput {
    package let path: String
    private let temporary: String
    private var descriptor: Int32
    /// Bytes not yet written; append to it, then call ``flushIfFull()``.
    package var buffer: [UInt8] = []
    private static let capacity = 1 << 20

    /// Creates a sibling of `path` to write into.
    package init(path: String) throws(ResultsError) {
        self.path = path
        temporary = path + ".ftlab-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).tmp"
        descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
        guard descriptor >= 0 else { throw Self.failure(path, errno) }
        buffer.reserveCapacity(Self.capacity + (64 << 10))
    }

    deinit {
        // Not committed: the partial file goes.
        if descriptor >= 0 {
            Glibc.close(descriptor)
            unlink(temporary)
        }
    }

    /// Writes the buffer out once it holds a chunk's worth.
    package func flushIfFull() throws(ResultsError) {
        if buffer.count >= Self.capacity { try flush() }
    }

    private func flush() throws(ResultsError) {
        var done = 0
        while done < buffer.count {
            let wrote = buffer.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + done, $0.count - done) }
            if wrote < 0, errno == EINTR { continue }
            guard wrote > 0 else { throw Self.failure(path, wrote < 0 ? errno : ENOSPC) }
            done += wrote
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is left and puts the file at `path`.
    package func commit() throws(ResultsError) {
        try flush()
        let closed = Glibc.close(descriptor)
        descriptor = -1
        guard closed == 0 else {
            let error = errno
            unlink(temporary)
            throw Self.failure(path, error)
        }
        guard rename(temporary, path) == 0 else {
            let error = errno
            unlink(temporary)
            throw Self.failure(path, error)
        }
    }

    private static func failure(_ path: String, _ error: Int32) -> ResultsError {
        error == ENOSPC ? .noSpace(path: path) : .cannotWrite(path: path, reason: String(cString: strerror(error)))
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
    /// them hold each shard of their plan exactly once (``ShardTally``), and writes their rows,
    /// in order, to `output` in the current column order. Rows stream through: each is checked and
    /// written as it is read, so memory stays bounded whatever the inputs' size; the output
    /// appears only once every input has read cleanly. Returns the warnings the readers raised.
    @discardableResult
    public static func merge(_ inputs: [String], into output: String) throws -> [String] {
        try OutputLock.checkFree(output)
        let file = try AtomicFileOutput(path: output)
        CSVBytes.appendRecord(ResultRow.columns, to: &file.buffer)
        var warnings: [String] = []
        var shards = ShardTally()
        for (position, input) in inputs.enumerated() {
            let outcome = try ResultReader.forEachRow(path: input) { (row) throws(ResultsError) in
                shards.add(row, input: position)
                ResultWriter.append(row, to: &file.buffer)
                try file.flushIfFull()
            }
            warnings += outcome.warnings
        }
        try shards.check(paths: inputs)
        try file.commit()
        return warnings
    }

    /// Atomically replaces `path` with a header and `rows` (used by `--resume` to drop the
    /// rows of a process that was cut off mid-write).
    public static func rewrite(path: String, keeping rows: [ResultRow]) throws(ResultsError) {
        let file = try AtomicFileOutput(path: path)
        CSVBytes.appendRecord(ResultRow.columns, to: &file.buffer)
        for row in rows {
            ResultWriter.append(row, to: &file.buffer)
            try file.flushIfFull()
        }
        try file.commit()
    }
}
