import FTLabCore
/// The rows of one or more results files, merged for one report.
public struct ReportInput: Sendable {
    /// The files read, in the order given (a file named twice is read once).
    public let paths: [String]
    /// Every row of every file, file by file.
    public let rows: [ResultRow]
    /// Non-fatal problems met while reading (a cut-off last line, for example).
    public let warnings: [String]

    /// Reads `paths`; fails on the first file that is missing or not an ftlab results CSV.
    public init(paths: [String]) throws(ResultsError) {
        var unique: [String] = []
        for path in paths where !unique.contains(path) { unique.append(path) }
        var rows: [ResultRow] = []
        var warnings: [String] = []
        for path in unique {
            let file = try ResultReader(path: path)
            if rows.isEmpty { rows = file.rows } else { rows += file.rows }  // one file: no copy
            warnings += file.warnings
        }
        self.paths = unique
        self.rows = rows
        self.warnings = warnings
    }
}
