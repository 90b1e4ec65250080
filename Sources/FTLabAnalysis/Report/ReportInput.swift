import FTLabCore
/// The rows of one or more results files, merged for one report.
public struct ReportInput: Sendable {
    /// The files read, in the order given (a file named twice is read once).
    public let paths: [String]
    /// Every row of every file, file by file.
    public let rows: [ResultRow]
    /// Non-fatal problems met while reading (a cut-off last line, for example).
    public let warnings: [String]

    /// Reads `paths` (results CSVs, and pyperf/pyperformance JSON files: ``PyperfImport``); fails
    /// on the first file that is missing or neither.
    public init(paths: [String]) throws(ResultsError) {
        var unique: [String] = []
        for path in paths where !unique.contains(path) { unique.append(path) }
        var rows: [ResultRow] = []
        var warnings: [String] = []
        for path in unique {
            let file = try Self.read(path)
            if rows.isEmpty { rows = file.rows } else { rows += file.rows }  // one file: no copy
            warnings += file.warnings
        }
        self.paths = unique
        self.rows = rows
        self.warnings = warnings
    }

    /// Reads `paths` in the order given (a file named twice is read once), handing each row
    /// to `body` as it is read, without holding the rows; fails on the first file that is
    /// missing or neither a results CSV nor a pyperf JSON file. Returns the files read and the
    /// warnings met.
    public static func forEachRow(paths: [String], _ body: (ResultRow) -> Void) throws(ResultsError)
        -> (paths: [String], warnings: [String]) {
        var unique: [String] = []
        for path in paths where !unique.contains(path) { unique.append(path) }
        var warnings: [String] = []
        for path in unique {
            if PyperfImport.handles(path) {
                try PyperfImport.rows(path: path).forEach(body)
            } else {
                warnings += try ResultReader.forEachRow(path: path) { body($0) }.warnings
            }
        }
        return (unique, warnings)
    }

    /// The rows of one input: a results CSV, or a pyperf JSON file (by its `.json` extension).
    public static func read(_ path: String) throws(ResultsError) -> (rows: [ResultRow], warnings: [String]) {
        if PyperfImport.handles(path) { return (try PyperfImport.rows(path: path), []) }
        let file = try ResultReader(path: path)
        return (file.rows, file.warnings)
    }
}
