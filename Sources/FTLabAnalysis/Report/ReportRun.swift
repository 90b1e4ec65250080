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
        var labels: [String] = []
        for row in rows where !labels.contains(row.interpreter) { labels.append(row.interpreter) }
        interpreters = labels.map { label in
            let mine = rows.filter { $0.interpreter == label }
            let observed = Set(mine.filter { $0.status == .ok }.compactMap(\.gilEnabled))
            let gil = observed.count == 2 ? "on and off" : observed.first.map { $0 ? "on" : "off" } ?? "not reported"
            var env: [String] = []
            for row in mine where !row.env.isEmpty && !env.contains(row.env) { env.append(row.env) }
            return InterpreterInfo(label: label, pythonVersion: mine[0].pythonVersion, build: mine[0].build,
                                   gil: gil, env: env)
        }
    }

    /// Whether the rows carry the machine's state (files from before ftlab 0.14 do not).
    public var recordedMachineState: Bool { !rows[0].aslr.isEmpty }

    /// "host run_id": how series of different runs are told apart.
    public var label: String { "\(identity.host) \(identity.runID)" }
}
