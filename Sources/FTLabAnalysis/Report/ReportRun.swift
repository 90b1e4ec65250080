import FTLabCore
/// One run of a report: the machine it ran on, the interpreters it measured, and its figures
/// (computed over this run's rows only, so runs never pool).
public struct ReportRun: Sendable {
    public let identity: RunIdentity
    /// Whether the rows carry the machine's state (files from before ftlab 0.14 do not).
    public let recordedMachineState: Bool
    public let interpreters: [InterpreterInfo]
    public let figures: [ScalingFigures]
    public let overheads: [BuildOverhead]
    /// Per workload measured on several CPython releases: the free-threaded build release by release.
    public let ladders: [ReleaseLadder]
    /// Processes per status over all configurations.
    public let processes: [RowStatus: Int]
    /// Free-threaded configurations of this run that ran with the GIL re-enabled, if any.
    public let gilReturn: GILReturn?

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
        var gathered = ReportRows()
        for row in rows { gathered.add(row) }
        self.init(gathered.runs[0], bootstrap: bootstrap)
    }

    /// The figures of one run's gathered rows.
    public init(_ run: RunRows, bootstrap: Bootstrap) {
        let first = run.first
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
        recordedMachineState = !first.aslr.isEmpty
        let configurations = run.grouping.configurations
        figures = ScalingFigures.compute(configurations, bootstrap: bootstrap)
        overheads = BuildOverhead.perWorkload(BuildPair.pairs(configurations))
        ladders = ReleaseLadder.compute(figures, overheads: overheads)
        processes = Dictionary(uniqueKeysWithValues: RowStatus.allCases.map { status in
            (status, configurations.reduce(0) { $0 + $1.processCount(status) })
        })
        gilReturn = run.gilReturn
        interpreters = run.interpreters.map { entry in
            let gil = entry.observed.count == 2 ? "on and off" : entry.observed.first.map { $0 ? "on" : "off" } ?? "not reported"
            return InterpreterInfo(label: entry.first.interpreter, pythonVersion: entry.first.pythonVersion, build: entry.first.build,
                                   gil: gil, env: entry.env)
        }
    }

    /// "host run_id": how series of different runs are told apart.
    public var label: String { "\(identity.host) \(identity.runID)" }
}
