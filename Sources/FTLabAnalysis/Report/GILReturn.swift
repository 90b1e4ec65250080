import FTLabCore

/// Free-threaded configurations that ran with the GIL on although nobody asked for it
/// (`PYTHON_GIL=1`/`-Xgil=1` not set): an imported extension that does not declare
/// free-threading support re-enabled it, so their figures are GIL figures. The end-of-run
/// summary and the report say so loudly.
public struct GILReturn: Sendable, Equatable {
    /// `workload/variant on interpreter`, one entry per affected configuration group.
    public var configurations: [String]
    /// The modules named by the processes (from the harness's `gil_enabled_by`), in order seen.
    public var modules: [String]
    /// The venv freeze identities (`packages`) of the affected rows.
    public var packages: [String]

    private static let messagePrefix = ResultRow.gilReenabledPrefix

    /// The affected configurations in `rows`, or nil when there are none.
    public init?(rows: [ResultRow]) {
        var collector = Collector()
        for row in rows { collector.add(row) }
        guard let found = collector.result else { return nil }
        self = found
    }

    /// Finds the affected configurations one row at a time, as rows are read.
    public struct Collector: Sendable {
        private var found = GILReturn(configurations: [], modules: [], packages: [])

        public init() {}

        /// The affected configurations among the rows added, or nil when there are none.
        public var result: GILReturn? { found.configurations.isEmpty ? nil : found }

        public mutating func add(_ row: ResultRow) {
            guard row.status == .ok, row.build == "freethreaded", row.gilEnabled == true else { return }
            if row.env.split(separator: ";").contains(where: { $0 == "PYTHON_GIL=1" }) { return }
            let name = "\(row.workload)/\(row.variant) on \(row.interpreter)"
            if !found.configurations.contains(name) { found.configurations.append(name) }
            if row.message.hasPrefix(GILReturn.messagePrefix) {
                for module in row.message.dropFirst(GILReturn.messagePrefix.count).split(separator: ",")
                    .map({ $0.trimmingCharacters(in: .whitespaces) }) where !found.modules.contains(module) {
                    found.modules.append(module)
                }
            }
            if !row.packages.isEmpty, !found.packages.contains(row.packages) { found.packages.append(row.packages) }
        }
    }

    private init(configurations: [String], modules: [String], packages: [String]) {
        self.configurations = configurations
        self.modules = modules
        self.packages = packages
    }

    /// The warning, as lines: what ran with the GIL, the likely cause, and the override.
    public var lines: [String] {
        let cause = modules.isEmpty
            ? "when the workload imported a C extension that does not declare free-threading support (the likely cause: "
                + "its imports" + (packages.isEmpty ? "" : ", packages \(packages.joined(separator: ", "))") + ")"
            : "when the workload imported \(modules.joined(separator: ", ")), which do\(modules.count == 1 ? "es" : "") not "
                + "declare free-threading support"
        return [
            "WARNING: THE GIL WAS ON in free-threaded runs: " + configurations.joined(separator: "; "),
            "  CPython re-enabled it \(cause); these figures are GIL figures, not free-threaded ones.",
            "  `--env PYTHON_GIL=0` forces it off (at your own risk: the extension may not be thread-safe); "
                + "or use a release of the package that supports free-threading.",
        ]
    }
}
