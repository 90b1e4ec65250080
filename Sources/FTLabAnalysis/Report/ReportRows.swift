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
    private var runIndex: [String: Int] = [:]
    private var knownInterpreters: Set<String> = []
    /// The last row's run and interpreter, reused while rows of one run and interpreter follow.
    private var last: (runID: String, run: Int, interpreter: String)?
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
        let run: Int
        if let last, last.runID == row.runID {
            run = last.run
        } else {
            run = runIndex[row.runID] ?? {
                runIndex[row.runID] = runs.count
                runs.append(RunRows(first: row))
                return runs.count - 1
            }()
        }
        if last?.interpreter != row.interpreter, row.interpreter != ReportSeries.nativeInterpreter,
           knownInterpreters.insert(row.interpreter).inserted {
            interpreters.append(row.interpreter)
        }
        last = (row.runID, run, row.interpreter)
        runs[run].add(row)
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
    private var interpreterIndex: [String: Int] = [:]
    /// The last row's interpreter, reused while its rows follow one another.
    private var last: (label: String, index: Int)?
    private var gil = GILReturn.Collector()

    init(first: ResultRow) {
        self.first = first
    }

    /// Free-threaded configurations of this run that ran with the GIL re-enabled.
    public var gilReturn: GILReturn? { gil.result }

    mutating func add(_ row: ResultRow) {
        grouping.add(row)
        gil.add(row)
        let index: Int
        if let last, last.label == row.interpreter {
            index = last.index
        } else {
            index = interpreterIndex[row.interpreter] ?? {
                interpreterIndex[row.interpreter] = interpreters.count
                interpreters.append((row, [], []))
                return interpreters.count - 1
            }()
            last = (row.interpreter, index)
        }
        if row.status == .ok, let gil = row.gilEnabled { interpreters[index].observed.insert(gil) }
        if !row.env.isEmpty, !interpreters[index].env.contains(row.env) { interpreters[index].env.append(row.env) }
    }
}
