import FTLabCore
/// One side of a comparison, gathered as its file is read: the rows its selection picks (all
/// of them without one), grouped by configuration. No row is held, so a side costs memory in
/// proportion to its configurations' figures, not to its rows.
public struct ComparisonSide: Sendable {
    /// The file the rows come from, as the report names it.
    public let file: String
    /// Which rows form the side (all when nil), and the option that gave it (`--base`, `--new`).
    private let selection: RowSelection?
    private let option: String
    private var grouping: ConfigurationSamples.Grouping
    /// Whether any row was selected; until one is, the selection column's values met, in
    /// order of appearance (to name them when none matches).
    private var selected = false
    private var present: [String] = []

    /// The base side of `file`: its rows that `options.baseSelection` picks.
    public static func base(file: String, options: ComparisonOptions) -> ComparisonSide {
        ComparisonSide(file: file, selection: options.baseSelection, option: "--base", ignoring: options.pairingIgnores)
    }

    /// The new side of `file`: its rows that `options.newSelection` picks.
    public static func new(file: String, options: ComparisonOptions) -> ComparisonSide {
        ComparisonSide(file: file, selection: options.newSelection, option: "--new", ignoring: options.pairingIgnores)
    }

    /// The new side of the file this base side read, when neither side has a selection: the
    /// same rows, so this side's gathering serves for both (a file compared with itself, an
    /// A/A check, is read and grouped once); nil when the sides select rows.
    public func asNewSideOfTheSameFile(options: ComparisonOptions) -> ComparisonSide? {
        guard selection == nil, options.baseSelection == nil, options.newSelection == nil else { return nil }
        var side = ComparisonSide.new(file: file, options: options)
        side.grouping = grouping
        side.selected = selected
        return side
    }

    private init(file: String, selection: RowSelection?, option: String, ignoring: Set<String>) {
        self.file = file
        self.selection = selection
        self.option = option
        grouping = ConfigurationSamples.Grouping(ignoring: ignoring)
    }

    /// Adds one row of the file (of any status); it joins the side when the selection picks it.
    public mutating func add(_ row: ResultRow) {
        if let selection {
            guard selection.matches(row) else {
                let value = row.value(of: selection.column) ?? ""
                if !selected, !present.contains(value) { present.append(value) }
                return
            }
            if !selected { present = [] }
        }
        selected = true
        grouping.add(row)
    }

    /// The side's configurations; throws, naming the values present, when a selection picked no row.
    func configurations() throws(CompareError) -> [ConfigurationSamples] {
        if let selection, !selected {
            throw .noRowsSelected(option: option, file: file, column: selection.column, value: selection.value, present: present)
        }
        return grouping.configurations
    }
}
