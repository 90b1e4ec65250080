import FTLabCore
/// What a report keeps of the rows it reads, gathered one row at a time so that no row is
/// held: per run (by `run_id`, in order of appearance) its configurations, interpreters and GIL
/// warning; over all rows, the interpreters in order of appearance and the GIL warning.
public struct ReportRows: Sendable {
    /// The runs, in order of first appearance.
    public private(set) var runs: [RunRows] = []
    /// The labels of the interpreters that are not the native ceiling, in order of first appearance.
    public private(set) var interpreters: [String] = []
    /// Every row's configuration, runs pooled (as the end-of-run summary groups them); nil
    /// unless asked for.
    public private(set) var pooled: ConfigurationSamples.Grouping?
    private var runOrder = AppearanceOrder()
    private var interpreterOrder = AppearanceOrder()
    private var gil = GILReturn.Collector()

    /// `pooling`: also group all rows together, runs pooled (``pooled``).
    public init(pooling: Bool = false) {
        if pooling { pooled = ConfigurationSamples.Grouping() }
    }

    /// The rows of `rows`, gathered.
    public init(rows: [ResultRow], pooling: Bool = false) {
        self.init(pooling: pooling)
        for row in rows { add(row) }
    }

    /// Free-threaded configurations that ran with the GIL re-enabled, over all rows.
    public var gilReturn: GILReturn? { gil.result }

    /// Adds one row of any status.
    public mutating func add(_ row: ResultRow) {
        let run = runOrder.position(of: row.runID)
        if run.isNew { runs.append(RunRows(first: row)) }
        if interpreterOrder.position(of: row.interpreter).isNew, row.interpreter != ReportSeries.nativeInterpreter {
            interpreters.append(row.interpreter)
        }
        runs[run.index].add(row)
        pooled?.add(row)
        gil.add(row)
    }
}

/// The rows of one run, gathered as ``ReportRows`` meets them.
public struct RunRows: Sendable {
    /// The run's first row: the machine and the run as it recorded them.
    public let first: ResultRow
    /// The run's configurations.
    public private(set) var grouping = ConfigurationSamples.Grouping()
    /// Per interpreter, in order of appearance: its first row, the GIL states its ok rows
    /// observed and its distinct `--env` settings, in order of appearance.
    private(set) var interpreters: [(first: ResultRow, observed: Set<Bool>, env: [String])] = []
    private var interpreterOrder = AppearanceOrder()
    private var gil = GILReturn.Collector()

    init(first: ResultRow) {
        self.first = first
    }

    /// Free-threaded configurations of this run that ran with the GIL re-enabled.
    public var gilReturn: GILReturn? { gil.result }

    mutating func add(_ row: ResultRow) {
        grouping.add(row)
        gil.add(row)
        let (index, isNew) = interpreterOrder.position(of: row.interpreter)
        if isNew { interpreters.append((row, [], [])) }
        if row.status == .ok, let gil = row.gilEnabled { interpreters[index].observed.insert(gil) }
        if !row.env.isEmpty, !interpreters[index].env.contains(row.env) { interpreters[index].env.append(row.env) }
    }
}

/// Positions of keys in order of first appearance (0, 1, ...). The last key asked is
/// remembered, so the rows of one run or interpreter, which come together, skip the lookup.
struct AppearanceOrder: Sendable {
    private var positions: [String: Int] = [:]
    private var last: (key: String, index: Int)?

    /// The key's position, and whether this is its first appearance.
    mutating func position(of key: String) -> (index: Int, isNew: Bool) {
        if let last, last.key == key { return (last.index, false) }
        let known = positions[key]
        let index = known ?? positions.count
        if known == nil { positions[key] = index }
        last = (key, index)
        return (index, known == nil)
    }
}
