import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Reads a results CSV written by any ftlab of schema v1.
///
/// The file is read in chunks and split on bytes (``CSVBytes``); each row is decoded through
/// the ``ResultSchema`` column table as it is met, so ``forEachRow(path:_:)`` streams a file
/// of any size in bounded memory. A field whose bytes repeat the row before's keeps that row's
/// value, neither decoded again nor copied (run ids, CPU models, parameters, the whole
/// configuration repeat on every row; only the measurements change).
public struct ResultReader {
    /// The rows read, in file order.
    public var rows: [ResultRow]
    /// Non-fatal problems found while reading (a cut-off last line, for example).
    public var warnings: [String]
    /// A complete but malformed last line (a torn write followed by a later newline, or a
    /// stray append), as CSV text: left out of `rows`; `--resume` sets it aside.
    public var rejectedTail: String?

    /// What a streamed read found besides its rows.
    public struct Outcome: Sendable {
        /// Non-fatal problems found while reading.
        public var warnings: [String] = []
        /// The malformed last line left out, as CSV text (see ``ResultReader/rejectedTail``).
        public var rejectedTail: String?
    }

    /// Reads and validates `path`. Unknown trailing columns are accepted and ignored.
    public init(path: String) throws(ResultsError) {
        var rows: [ResultRow] = []
        // Room for every row at once (an estimate: ftlab's rows are a few hundred bytes of CSV):
        // growing by doubling would copy them all, twice the memory at the peak. Capacity never
        // touched costs no memory.
        var info = stat()
        if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG { rows.reserveCapacity(Int(info.st_size) / 200) }
        let outcome = try Self.forEachRow(path: path) { rows.append($0) }
        self.rows = rows
        warnings = outcome.warnings
        rejectedTail = outcome.rejectedTail
    }

    /// Parses CSV `text`; `path` only names the source in messages.
    public init(text: String, path: String = "<input>") throws(ResultsError) {
        var rows: [ResultRow] = []
        let outcome = try Self.forEachRow(in: Array(text.utf8), path: path) { rows.append($0) }
        self.rows = rows
        warnings = outcome.warnings
        rejectedTail = outcome.rejectedTail
    }

    /// Reads the CSV text `bytes` row by row (as ``forEachRow(path:_:)`` reads a file).
    static func forEachRow(in bytes: [UInt8], path: String,
                           _ body: (ResultRow) throws(ResultsError) -> Void) throws(ResultsError) -> Outcome {
        guard !bytes.isEmpty else { throw .cannotRead(path: path, reason: "the file is empty") }
        var outcome = Outcome()
        var scan = CSVBytes.RecordEnds()
        bytes.withUnsafeBufferPointer { scan.feed($0, at: 0) }
        let keep = scan.lastEnd
        if keep < bytes.count { outcome.warnings.append(cutOffWarning(path)) }
        var parser = Parser(path: path)
        try bytes.withUnsafeBufferPointer { (all) throws(ResultsError) in
            _ = try parser.parse(UnsafeBufferPointer(rebasing: all[0..<keep]), atEnd: true, body)
        }
        try parser.finish(&outcome)
        return outcome
    }

    /// Reads `path` row by row, handing each valid row to `body` in file order, without holding
    /// the file or its rows; fails on the first damaged line, as ``init(path:)`` does.
    ///
    /// One pass over the file: as each block arrives its record ends (LF outside quotes) are
    /// found, and only the records up to the last end found so far are parsed, so a row cut off
    /// by a crash or power loss (what follows the file's last record end) is dropped rather than
    /// misread, without a second read of the file.
    @discardableResult
    public static func forEachRow(path: String, _ body: (ResultRow) throws(ResultsError) -> Void) throws(ResultsError) -> Outcome {
        var file = try InputFile(path: path)
        defer { file.close() }
        guard file.size >= 0 else { return try forEachRow(in: file.readAll(), path: path, body) }
        var outcome = Outcome()
        var parser = Parser(path: path)
        var ends = CSVBytes.RecordEnds()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var filled = 0
        /// The file offset of `buffer[0]`.
        var start = 0
        var atEnd = false
        while true {
            if !atEnd {
                if filled == buffer.count { buffer += [UInt8](repeating: 0, count: buffer.count) }
                let read = try file.read(into: &buffer, at: filled)
                buffer.withUnsafeBufferPointer { ends.feed(UnsafeBufferPointer(rebasing: $0[filled..<(filled + read)]), at: start + filled) }
                filled += read
                atEnd = read == 0
            }
            let complete = ends.lastEnd - start
            let used = try buffer.withUnsafeBufferPointer { (all) throws(ResultsError) in
                try parser.parse(UnsafeBufferPointer(rebasing: all[0..<complete]), atEnd: atEnd, body)
            }
            if atEnd { break }
            // Keep the unfinished record's bytes at the front for the next read.
            buffer.withUnsafeMutableBufferPointer { all in
                if used > 0, used < filled { all.baseAddress!.update(from: all.baseAddress! + used, count: filled - used) }
            }
            filled -= used
            start += used
        }
        if start + filled > ends.lastEnd { outcome.warnings.append(cutOffWarning(path)) }
        try parser.finish(&outcome)
        return outcome
    }

    static func cutOffWarning(_ path: String) -> String {
        "\(path): the last line is incomplete (the writer was interrupted); it was dropped"
    }

    /// Turns records into rows: the header first, then each record checked against it.
    private struct Parser {
        let path: String
        var fields: [CSVBytes.Field] = []
        /// Per schema column, its index in the file's header (nil: a later column the file lacks).
        var positions: [Int?] = []
        var headerCount = 0
        var sawHeader = false
        /// Records read so far, header included.
        var records = 0
        /// The last row decoded. The next row starts from it: a field whose bytes equal the
        /// row before's keeps its value undecoded (rows of one configuration repeat all but a
        /// dozen measurement fields), so no row is built, nor a string made, per field.
        var template = ResultRow()
        var hasTemplate = false
        /// The last record's bytes, and per schema column its field's range there.
        var previousBytes: [UInt8] = []
        var previousFields: [CSVBytes.Field]
        /// A record whose fate depends on what follows: a blank or a wrongly sized one (an error
        /// unless only blank records follow it), then the blank records after it.
        var held: (fields: [String], line: Int, blank: Bool)?

        init(path: String) {
            self.path = path
            previousFields = Array(repeating: CSVBytes.Field(start: 0, end: 0, quoted: false), count: ResultSchema.columns.count)
        }

        /// Parses the complete records of `bytes` (all of them when `atEnd`) and returns how many
        /// bytes they took.
        mutating func parse(_ bytes: UnsafeBufferPointer<UInt8>, atEnd: Bool,
                            _ body: (ResultRow) throws(ResultsError) -> Void) throws(ResultsError) -> Int {
            var position = 0
            while position < bytes.count,
                  let next = CSVBytes.record(in: bytes, from: position, atEnd: atEnd, fields: &fields) {
                let recordStart = position
                position = next
                records += 1
                guard sawHeader else {
                    try header(bytes)
                    continue
                }
                let line = records  // the header is line 1
                let blank = fields.count == 1 && fields[0].end == fields[0].start
                if blank {
                    if held == nil { held = ([""], line, true) }
                    continue
                }
                if let held { throw badLine(held) }
                guard fields.count == headerCount else {
                    held = (fields.map { CSVBytes.string($0, in: bytes) }, line, false)
                    continue
                }
                try decode(bytes, record: recordStart..<next, line: line)
                try body(template)
            }
            return position
        }

        /// At the end of the input: a wrongly sized last record (only blank ones after it) is a
        /// torn tail, left out with a warning; no header at all is not a results file.
        mutating func finish(_ outcome: inout Outcome) throws(ResultsError) {
            guard sawHeader else {
                throw .cannotRead(path: path, reason: "it has no complete line, not even a header")
            }
            guard let held, !held.blank else { return }
            outcome.rejectedTail = ResultWriter.encode([held.fields])
            outcome.warnings.append("\(path):\(held.line): the last line is malformed (\(held.fields.count) fields where the header has "
                                    + "\(headerCount)), as a torn write or a stray append leaves it; it was left out")
        }

        private func badLine(_ held: (fields: [String], line: Int, blank: Bool)) -> ResultsError {
            .badLine(path: path, line: held.line, fields: held.fields.count, expected: headerCount,
                     start: String(held.fields.joined(separator: ",").prefix(60)))
        }

        private mutating func header(_ bytes: UnsafeBufferPointer<UInt8>) throws(ResultsError) {
            sawHeader = true
            let names = fields.map { CSVBytes.string($0, in: bytes) }
            headerCount = names.count
            var index: [String: Int] = [:]
            for (i, name) in names.enumerated() where index[name] == nil { index[name] = i }
            let missing = ResultSchema.columns.filter { index[$0.name] == nil && !$0.later }.map(\.name)
            if !missing.isEmpty { throw .missingColumns(path: path, columns: missing) }
            positions = ResultSchema.columns.map { index[$0.name] }
        }

        /// Decodes the current record (its bytes `record`) into `template`, through the schema
        /// table: only the fields that differ from the record before's.
        private mutating func decode(_ bytes: UnsafeBufferPointer<UInt8>, record: Range<Int>, line: Int) throws(ResultsError) {
            let schemaField = fields[positions[ResultSchema.schemaIndex]!]
            if !(schemaField.end - schemaField.start == 1 && bytes[schemaField.start] == UInt8(ascii: "1")) {
                let schema = CSVBytes.string(schemaField, in: bytes)
                guard schema == ResultSchema.versionText else {
                    throw .unsupportedSchema(path: path, found: schema)
                }
            }
            let count = ResultSchema.columns.count
            let first = !hasTemplate
            try ResultSchema.columns.withUnsafeBufferPointer { (columns) throws(ResultsError) in
                try previousBytes.withUnsafeBufferPointer { (previous) throws(ResultsError) in
                    for index in 0..<count {
                        guard let position = positions[index] else {
                            // A later column the file lacks: empty, the same on every row.
                            if first, let expected = columns[index].read(&template, "") {
                                throw .badValue(path: path, line: line, column: columns[index].name, value: "", expected: expected)
                            }
                            continue
                        }
                        let field = fields[position]
                        let length = field.end - field.start
                        if !first {
                            let before = previousFields[index]
                            if before.quoted == field.quoted, before.end - before.start == length,
                               CSVBytes.equal(previous, before.start, bytes, field.start, count: length) {
                                continue
                            }
                        }
                        if !field.quoted, let readBytes = columns[index].readBytes,
                           readBytes(&template, UnsafeBufferPointer(rebasing: bytes[field.start..<field.end])) {
                            continue
                        }
                        let value = CSVBytes.string(field, in: bytes)
                        if let expected = columns[index].read(&template, value) {
                            throw .badValue(path: path, line: line, column: columns[index].name, value: value, expected: expected)
                        }
                    }
                }
            }
            // Keep this record's bytes for the next one to be compared with.
            previousBytes.removeAll(keepingCapacity: true)
            previousBytes.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[record]))
            for index in 0..<count {
                guard let position = positions[index] else { continue }
                let field = fields[position]
                previousFields[index] = CSVBytes.Field(start: field.start - record.lowerBound, end: field.end - record.lowerBound,
                                                       quoted: field.quoted)
            }
            hasTemplate = true
        }
    }

    /// Decodes one row from its values by schema column index, checking the schema version first.
    package static func decode(_ value: (Int) -> String, path: String, line: Int) throws(ResultsError) -> ResultRow {
        let schema = value(ResultSchema.schemaIndex)
        guard schema == ResultSchema.versionText else {
            throw .unsupportedSchema(path: path, found: schema)
        }
        var row = ResultRow()
        for (index, column) in ResultSchema.columns.enumerated() {
            let field = value(index)
            if let expected = column.read(&row, field) {
                throw .badValue(path: path, line: line, column: column.name, value: field, expected: expected)
            }
        }
        return row
    }

    /// Decodes one row from a lookup of its fields by column name.
    package static func decode(_ field: (String) -> String, path: String, line: Int) throws(ResultsError) -> ResultRow {
        try decode({ field(ResultSchema.columns[$0].name) }, path: path, line: line)
    }
}

/// A results file opened for reading.
struct InputFile {
    let path: String
    let descriptor: Int32
    /// The file's size when opened (-1 for a pipe or device): what is read of it, so that rows
    /// appended meanwhile are left for the next reader.
    let size: Int
    var offset = 0

    init(path: String) throws(ResultsError) {
        self.path = path
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw .cannotRead(path: path, reason: errno == EACCES ? "permission denied" : "no such file")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw .cannotRead(path: path, reason: "it is a folder, not a CSV file") }
        descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw .cannotRead(path: path, reason: errno == EACCES ? "permission denied" : String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            // A pipe or device: its size is unknown until read, so it is read whole.
            size = -1
            return
        }
        size = Int(info.st_size)
        guard size > 0 else {
            Glibc.close(descriptor)
            throw .cannotRead(path: path, reason: "the file is empty")
        }
    }

    /// The offset past the file's last record-ending LF (0 when it has none): a LF inside a
    /// quoted field (a `message` with several lines) ends no record, so a torn row is cut
    /// whole (`--resume`'s repair). Found by one forward scan in 1 MiB blocks (the quote state at the end depends on
    /// everything before it); bounded memory.
    static func completeLength(_ descriptor: Int32, size: Int) -> Int {
        var block = [UInt8](repeating: 0, count: 1 << 20)
        var scan = CSVBytes.RecordEnds()
        var start = 0
        while start < size {
            let wanted = min(block.count, size - start)
            let read = block.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, wanted, off_t(start)) }
            guard read == wanted else { return size }  // unreadable: let the reads report it
            block.withUnsafeBufferPointer { scan.feed(UnsafeBufferPointer(rebasing: $0[0..<read]), at: start) }
            start += read
        }
        return scan.lastEnd
    }

    /// Reads the next bytes into `buffer` from `index` (at most to its end, never past
    /// `size`); 0 at the end.
    mutating func read(into buffer: inout [UInt8], at index: Int) throws(ResultsError) -> Int {
        var wanted = buffer.count - index
        if size >= 0 { wanted = min(wanted, size - offset) }
        guard wanted > 0 else { return 0 }
        while true {
            let read = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress! + index, wanted) }
            if read < 0, errno == EINTR { continue }
            guard read >= 0 else { throw .cannotRead(path: path, reason: String(cString: strerror(errno))) }
            offset += read
            return read
        }
    }

    /// Everything left to read (for a pipe or device, whose size is not known up front).
    mutating func readAll() throws(ResultsError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: 1 << 20)
        var filled = 0
        while true {
            if filled == bytes.count { bytes += [UInt8](repeating: 0, count: bytes.count) }
            let read = try read(into: &bytes, at: filled)
            if read == 0 { break }
            filled += read
        }
        bytes.removeLast(bytes.count - filled)
        return bytes
    }

    func close() { Glibc.close(descriptor) }
}
