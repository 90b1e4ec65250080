import FTLabCore
/// One run of a report: the machine it ran on, the interpreters it measured, and its figures
/// (computed over this run's rows only, so runs never pool).
public struct ReportRun: Sendable {
    public let identity: RunIdentity
    /// The run's rows, in file order.
    public let rows: [ResultRow]
    public let interpreters: [InterpreterInfo]
    public let figures: [ScalingFigures]
    public let overheads: [BuildOverhead]
    /// Per workload measured on several CPython releases: the free-threaded build release by release.
    public let ladders: [ReleaseLadder]
    /// Processes per status over all configurations.
    public let processes: [RowStatus: Int]

    /// What the header says about one interpreter, as the run observed it.
    public struct InterpreterInfo: Sendable, Equatable {
        public let label: String
        public let pythonVersion: String
        public let build: String
        /// Whether the GIL was on: "on", "off", "on and off" (per `--env`), or "not reported".
        public let gil: String
        /// The distinct `--env` settings it ran with.
        public let env: [String]
    }

    /// `rows` must all carry the same `run_id`.
    public init(rows: [ResultRow], bootstrap: Bootstrap) {
        self.rows = rows
        let first = rows[0]
        identity = RunIdentity(
            runID: first.runID, startedUTC: first.startedUTC, host: first.host, cpuModel: first.cpuModel,
            kernel: first.kernel, numaNodes: first.numaNodes, cpusOnline: first.cpusOnline, smt: first.smt,
            suiteRev: first.suiteRev, lab: first.lab,
            machine: MachineState(
                governor: first.cpuGovernor, boost: first.cpuBoost, aslr: first.aslr, thp: first.thp,
                isolatedCPUs: first.isolatedCPUs, nohzFullCPUs: first.nohzFullCPUs,
                perfEventParanoid: first.perfEventParanoid, virtualization: first.virtualization,
                loadAverage: first.loadStart ?? 0),
            ftlabVersion: first.ftlabVersion)
        let configurations = ConfigurationSamples.group(rows)
        figures = ScalingFigures.compute(configurations, bootstrap: bootstrap)
        overheads = BuildOverhead.perWorkload(BuildPair.pairs(configurations))
        ladders = ReleaseLadder.compute(figures, overheads: overheads)
        processes = Dictionary(uniqueKeysWithValues: RowStatus.allCases.map { status in
            (status, configurations.reduce(0) { $0 + $1.processCount(status) })
        })
        // One pass over the rows: per interpreter, its first row, the GIL states its ok rows
        // observed and its distinct --env settings, in order of appearance.
        var seen: [(label: String, first: ResultRow, observed: Set<Bool>, env: [String])] = []
        var index: [String: Int] = [:]
        for row in rows {
            let i = index[row.interpreter] ?? {
                index[row.interpreter] = seen.count
                seen.append((row.interpreter, row, [], []))
                return seen.count - 1
            }()
            if row.status == .ok, let gil = row.gilEnabled { seen[i].observed.insert(gil) }
            if !row.env.isEmpty, !seen[i].env.contains(row.env) { seen[i].env.append(row.env) }
        }
        interpreters = seen.map { entry in
            let gil = entry.observed.count == 2 ? "on and off" : entry.observed.first.map { $0 ? "on" : "off" } ?? "not reported"
            return InterpreterInfo(label: entry.label, pythonVersion: entry.first.pythonVersion, build: entry.first.build,
                                   gil: gil, env: entry.env)
        }
    }

    /// Whether the rows carry the machine's state (files from before ftlab 0.14 do not).
    public var recordedMachineState: Bool { !rows[0].aslr.isEmpty }

    /// "host run_id": how series of different runs are told apart.
    public var label: String { "\(identity.host) \(identity.runID)" }
}
