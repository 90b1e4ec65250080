import FTLabCore
/// `COLUMN=VALUE`: the rows of one side of a comparison, e.g. `env=` and
/// `env=PYTHONMALLOC=malloc_debug` for the two halves of a run made with `ftlab run --ab-env`.
public struct RowSelection: Sendable, Equatable {
    /// A configuration column.
    public let column: String
    /// The exact value the column must hold (may be empty).
    public let value: String

    public init(column: String, value: String) {
        self.column = column
        self.value = value
    }

    /// Parses `COLUMN=VALUE` for the option named `option` (`--base` or `--new`); only the
    /// first `=` separates, so the value may contain more (`env=PYTHONMALLOC=malloc_debug`).
    public init(parsing text: String, option: String) throws(CompareError) {
        guard let eq = text.firstIndex(of: "=") else { throw .badSelection(option: option, text) }
        let column = String(text[..<eq])
        guard ResultRow.configurationColumns.contains(column) else {
            throw .unknownSelectionColumn(option: option, column, valid: ResultRow.configurationColumns)
        }
        self.init(column: column, value: String(text[text.index(after: eq)...]))
    }

    public func matches(_ row: ResultRow) -> Bool {
        row.value(of: column) == value
    }

    public var description: String { "\(column)=\(value)" }
}
