/// One row of the results CSV (schema v1): one measured sample of one process.
///
/// Columns are grouped as identity (which run, which machine), configuration (what was
/// measured) and measurement (what was observed). Columns are only ever appended at the
/// end; readers accept unknown trailing columns.
public struct ResultRow: Sendable, Equatable {
    // Identity
    public var schema: Int = ResultRow.schemaVersion
    public var runID: String = ""
    public var startedUTC: String = ""
    public var host: String = ""
    public var cpuModel: String = ""
    public var kernel: String = ""
    public var numaNodes: Int = 1
    public var cpusOnline: Int = 1
    public var smt: Bool = false
    public var suiteRev: String = ""
    // Configuration
    public var workload: String = ""
    public var variant: String = ""
    public var params: String = ""
    public var interpreter: String = ""
    public var pythonVersion: String = ""
    public var build: String = ""
    public var gilEnabled: Bool? = nil
    public var env: String = ""
    public var threads: Int = 1
    public var placement: String = "none"
    public var cpus: String = ""
    public var observedCPUs: String = ""
    public var memNodes: String = ""
    public var allocator: String = "system"
    public var allocatorScope: String = "none"
    public var allocatorVerified: Bool = true
    // Measurement
    public var process: Int = 0
    public var sample: Int = 0
    public var ops: Int = 0
    public var unit: String = ""
    public var wallSeconds: Double = 0
    public var throughput: Double = 0
    public var cpuUserSeconds: Double = 0
    public var cpuSysSeconds: Double = 0
    public var cpuUtil: Double = 0
    public var ctxVoluntary: Int = 0
    public var ctxInvoluntary: Int = 0
    public var maxRSSKiB: Int = 0
    public var latencyP50us: Double? = nil
    public var latencyP99us: Double? = nil
    public var latencyP999us: Double? = nil
    public var errors: Int = 0
    public var status: RowStatus = .ok
    public var message: String = ""
    /// Server workloads: the CPUs the load generator's threads were pinned to (`unpinned`
    /// when they were not); empty for batch workloads.
    public var clientCPUs: String = ""
    /// Server workloads: the load generator's CPU time over the time its threads had (1: the
    /// client was saturated, so the figure measures the client, not the server).
    public var clientCPUUtil: Double? = nil
    /// The container lab's id (rootfs sha256) the row was measured in; empty outside the lab.
    public var lab: String = ""
    /// The ftlab release that measured the row.
    public var ftlabVersion: String = ""
    /// The machine's state at the start of the run (``MachineState``); empty in older files.
    public var cpuGovernor: String = ""
    public var cpuBoost: String = ""
    public var aslr: String = ""
    public var thp: String = ""
    public var isolatedCPUs: String = ""
    public var nohzFullCPUs: String = ""
    public var perfEventParanoid: String = ""
    public var virtualization: String = ""
    /// The 1-minute load average at the start of the run.
    public var loadStart: Double? = nil
    /// The 1-minute load average when the row's process ended.
    public var load1m: Double? = nil
    /// The short hash (12 hex digits) of the `pip freeze` of the venv the process ran from;
    /// empty when it ran from a bare interpreter.
    public var packages: String = ""
    /// `I/N` when the run measured one shard of its plan (`--shard`); empty otherwise.
    public var shard: String = ""
    /// Short hash of the whole (unsharded) plan, so the shards of one plan can be told apart
    /// from another's; empty for an unsharded run.
    public var planID: String = ""
    /// The sha256 of the MANIFEST.json of the `ftlab bundle` that measured (its bundle id);
    /// empty when ftlab did not run from a bundle.
    public var bundle: String = ""

    public static let schemaVersion = ResultSchema.version

    /// How an ok row's `message` starts when its free-threaded process re-enabled the GIL by an
    /// import; the module names follow, comma-separated.
    public static let gilReenabledPrefix = "the GIL was re-enabled by importing "

    public init() {}

    /// The header, in file order (from ``ResultSchema``).
    public static let columns: [String] = ResultSchema.columns.map(\.name)

    /// Columns appended after schema v1's first release: files written before them lack them
    /// and still read (as empty).
    public static let laterColumns: Set<String> = Set(ResultSchema.columns.filter(\.later).map(\.name))

    /// The columns that name a configuration: two rows with equal values here measured the
    /// same thing and are samples of one distribution.
    public static let configurationColumns: [String] = ResultSchema.columns.filter { $0.role == .key }.map(\.name)

    /// The row as CSV fields, in `columns` order.
    public var fields: [String] {
        var row = self
        return ResultSchema.columns.map { $0.field(in: &row) }
    }

    /// The value of a column by its CSV name (used to pair configurations generically).
    public func value(of column: String) -> String? {
        ResultSchema.column(column)?.field(of: self)
    }

    /// The configuration key: the configuration columns joined, minus any in `ignoring`.
    public func configurationKey(ignoring: Set<String> = []) -> String {
        var row = self
        return Self.keyColumns.filter { !ignoring.contains($0.name) }
            .map { "\($0.name)=\($0.field(in: &row))" }.joined(separator: "|")
    }

    private static let keyColumns = ResultSchema.columns.filter { $0.role == .key }

    package static func format(_ value: Double) -> String {
        if value.isNaN || value.isInfinite { return "" }
        // Shortest round-trip representation; figures keep their full precision.
        return String(value)
    }
}

/// The outcome of the process a row came from.
public enum RowStatus: String, Sendable, CaseIterable {
    case ok, failed, timeout
}
