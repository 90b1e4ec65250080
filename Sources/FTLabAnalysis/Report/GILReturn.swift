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
        var configurations: [String] = [], modules: [String] = [], packages: [String] = []
        for row in rows where row.status == .ok && row.build == "freethreaded" && row.gilEnabled == true {
            if row.env.split(separator: ";").contains(where: { $0 == "PYTHON_GIL=1" }) { continue }
            let name = "\(row.workload)/\(row.variant) on \(row.interpreter)"
            if !configurations.contains(name) { configurations.append(name) }
            if row.message.hasPrefix(Self.messagePrefix) {
                for module in row.message.dropFirst(Self.messagePrefix.count).split(separator: ",")
                    .map({ $0.trimmingCharacters(in: .whitespaces) }) where !modules.contains(module) {
                    modules.append(module)
                }
            }
            if !row.packages.isEmpty, !packages.contains(row.packages) { packages.append(row.packages) }
        }
        guard !configurations.isEmpty else { return nil }
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
