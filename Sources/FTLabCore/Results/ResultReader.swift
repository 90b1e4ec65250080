import CSV
import Foundation

/// Reads a results CSV written by any ftlab of schema v1.
public struct ResultReader {
    /// The rows read, in file order.
    public var rows: [ResultRow]
    /// Non-fatal problems found while reading (a cut-off last line, for example).
    public var warnings: [String]

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
            let keep = text.utf8.lastIndex(of: newline).map { text.utf8.index(after: $0) } ?? text.startIndex
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
        var rows: [ResultRow] = []
        var line = 1
        while let record = reader.next() {
            line += 1
            if record.count == 1, record[0].isEmpty { continue }
            let field: (String) -> String = { name in
                guard let i = index[name] else { return "" }  // a later column an older file lacks
                return i < record.count ? record[i] : ""
            }
            rows.append(try Self.decode(field, path: path, line: line))
        }
        self.rows = rows
    }

    package static func decode(_ field: (String) -> String, path: String, line: Int) throws(ResultsError) -> ResultRow {
        func int(_ name: String) throws(ResultsError) -> Int {
            guard let v = Int(field(name)) else {
                throw .badValue(path: path, line: line, column: name, value: field(name), expected: "an integer")
            }
            return v
        }
        func double(_ name: String) throws(ResultsError) -> Double {
            let raw = field(name)
            if raw.isEmpty { return .nan }
            guard let v = Double(raw) else {
                throw .badValue(path: path, line: line, column: name, value: raw, expected: "a number")
            }
            return v
        }
        func optionalDouble(_ name: String) throws(ResultsError) -> Double? {
            field(name).isEmpty ? nil : try double(name)
        }
        func bool(_ name: String) throws(ResultsError) -> Bool? {
            switch field(name) {
            case "true": return true
            case "false": return false
            case "": return nil
            default:
                throw .badValue(path: path, line: line, column: name, value: field(name), expected: "true or false")
            }
        }
        guard field("schema") == String(ResultRow.schemaVersion) else {
            throw .unsupportedSchema(path: path, found: field("schema"))
        }
        var row = ResultRow()
        row.runID = field("run_id")
        row.startedUTC = field("started_utc")
        row.host = field("host")
        row.cpuModel = field("cpu_model")
        row.kernel = field("kernel")
        row.numaNodes = try int("numa_nodes")
        row.cpusOnline = try int("cpus_online")
        row.smt = try bool("smt") ?? false
        row.suiteRev = field("suite_rev")
        row.workload = field("workload")
        row.variant = field("variant")
        row.params = field("params")
        row.interpreter = field("interpreter")
        row.pythonVersion = field("python_version")
        row.build = field("build")
        row.gilEnabled = try bool("gil_enabled")
        row.env = field("env")
        row.threads = try int("threads")
        row.placement = field("placement")
        row.cpus = field("cpus")
        row.observedCPUs = field("observed_cpus")
        row.memNodes = field("mem_nodes")
        row.allocator = field("allocator")
        row.allocatorScope = field("allocator_scope")
        row.allocatorVerified = try bool("allocator_verified") ?? false
        row.process = try int("process")
        row.sample = try int("sample")
        row.ops = try int("ops")
        row.unit = field("unit")
        row.wallSeconds = try double("wall_s")
        row.throughput = try double("throughput")
        row.cpuUserSeconds = try double("cpu_user_s")
        row.cpuSysSeconds = try double("cpu_sys_s")
        row.cpuUtil = try double("cpu_util")
        row.ctxVoluntary = try int("ctx_voluntary")
        row.ctxInvoluntary = try int("ctx_involuntary")
        row.maxRSSKiB = try int("max_rss_kib")
        row.latencyP50us = try optionalDouble("latency_p50_us")
        row.latencyP99us = try optionalDouble("latency_p99_us")
        row.latencyP999us = try optionalDouble("latency_p999_us")
        row.errors = try int("errors")
        guard let status = RowStatus(rawValue: field("status")) else {
            throw .badValue(path: path, line: line, column: "status", value: field("status"),
                            expected: RowStatus.allCases.map(\.rawValue).joined(separator: ", "))
        }
        row.status = status
        row.message = field("message")
        row.clientCPUs = field("client_cpus")
        row.clientCPUUtil = try optionalDouble("client_cpu_util")
        row.lab = field("lab")
        return row
    }
}
