/// The rows of one configuration: every sample measured with equal configuration columns
/// (`ResultRow.configurationColumns`, less any ignored ones).
///
/// Grouping tells processes apart once, as rows are grouped: each ok row carries its process's
/// number within the configuration, so the statistics (`processValues`, `processCount`) never
/// build a string per row, whatever the number of rows.
public struct ConfigurationSamples: Sendable {
    /// `ResultRow.configurationKey(ignoring:)` of every row here.
    public let key: String
    /// The first row seen; its configuration columns describe the configuration.
    public let first: ResultRow
    /// The configuration columns left out of the key.
    public let ignored: Set<String>
    /// The rows with status ok, the only ones that enter figures.
    public private(set) var ok: [ResultRow] = []
    /// The rows with status failed or timeout.
    public private(set) var notOK: [ResultRow] = []
    /// Per row of `ok`, its process: 0, 1, ... in order of first appearance.
    private var okProcess: [Int] = []
    /// Distinct processes per status.
    private var processes: [RowStatus: Int] = [:]
    /// How many distinct configurations (all key columns, ignored ones included) are pooled here.
    public private(set) var pooledConfigurations = 1

    /// How many processes ended with `status`.
    public func processCount(_ status: RowStatus) -> Int { processes[status] ?? 0 }

    /// What tells one process from another: its run, its full configuration (process numbers
    /// restart with each configuration, and `--ignore` may pool several) and its number.
    private struct ProcessIdentity: Hashable {
        let runID: String
        /// Index of its full configuration key among those pooled here.
        let configuration: Int
        let process: Int
    }

    /// The finite values of `metric` over the ok rows (rows where it is nil are skipped).
    public func values(_ metric: (ResultRow) -> Double?) -> [Double] {
        ok.compactMap(metric).filter(\.isFinite)
    }

    /// The finite values of `metric` over the ok rows, grouped by process in order of
    /// appearance; processes without a value are left out.
    public func processValues(_ metric: (ResultRow) -> Double?) -> [[Double]] {
        var slot = [Int](repeating: -1, count: processCount(.ok))
        var groups: [[Double]] = []
        for (index, row) in ok.enumerated() {
            guard let value = metric(row), value.isFinite else { continue }
            let process = okProcess[index]
            if slot[process] < 0 {
                slot[process] = groups.count
                groups.append([])
            }
            groups[slot[process]].append(value)
        }
        return groups
    }

    /// The key's columns and their values, in `ResultRow.configurationColumns` order.
    public var columns: [(name: String, value: String)] {
        ResultRow.configurationColumns.filter { !ignored.contains($0) }.map { ($0, first.value(of: $0) ?? "") }
    }

    /// A readable name: "workload/variant" and then the other key columns that have a value.
    public var label: String {
        let name = [first.workload, first.variant].filter { !$0.isEmpty }.joined(separator: "/")
        let rest = columns.filter { !["workload", "variant"].contains($0.name) && !$0.value.isEmpty }
        return ([name] + rest.map { "\($0.name)=\($0.value)" }).joined(separator: " ")
    }

    /// Groups `rows` into configurations, in order of first appearance; columns in
    /// `ignoring` are left out of the key, so rows differing only there are pooled.
    public static func group(_ rows: [ResultRow], ignoring: Set<String> = []) -> [ConfigurationSamples] {
        var groups: [Builder] = []
        var index: [String: Int] = [:]
        var previous: (row: ResultRow, group: Int, configuration: Int)?
        for row in rows {
            // Rows of one configuration usually follow one another: compare the key columns with
            // the row before's instead of building and hashing the key again.
            if let previous, row.sameConfiguration(as: previous.row) {
                groups[previous.group].add(row, configuration: previous.configuration)
                continue
            }
            let key = row.configurationKey(ignoring: ignoring)
            let group = index[key] ?? {
                index[key] = groups.count
                groups.append(Builder(samples: ConfigurationSamples(key: key, first: row, ignored: ignoring)))
                return groups.count - 1
            }()
            let configuration = groups[group].configurationIndex(ignoring.isEmpty ? key : row.configurationKey())
            groups[group].add(row, configuration: configuration)
            previous = (row, group, configuration)
        }
        return groups.map(\.finished)
    }

    /// Collects one configuration's rows and numbers its processes.
    private struct Builder {
        var samples: ConfigurationSamples
        var configurations: [String: Int] = [:]
        var okProcesses: [ProcessIdentity: Int] = [:]
        var otherProcesses: [RowStatus: Set<ProcessIdentity>] = [:]
        /// The last ok row's process, reused while the rows of one process follow one another.
        var last: (runID: String, configuration: Int, process: Int, number: Int)?

        /// The index of a full configuration key among those pooled here.
        mutating func configurationIndex(_ key: String) -> Int {
            if let known = configurations[key] { return known }
            configurations[key] = configurations.count
            return configurations.count - 1
        }

        mutating func add(_ row: ResultRow, configuration: Int) {
            guard row.status == .ok else {
                samples.notOK.append(row)
                let identity = ProcessIdentity(runID: row.runID, configuration: configuration, process: row.process)
                otherProcesses[row.status, default: []].insert(identity)
                return
            }
            let number: Int
            if let last, last.process == row.process, last.configuration == configuration, last.runID == row.runID {
                number = last.number
            } else {
                let identity = ProcessIdentity(runID: row.runID, configuration: configuration, process: row.process)
                number = okProcesses[identity] ?? {
                    okProcesses[identity] = okProcesses.count
                    return okProcesses.count - 1
                }()
                last = (row.runID, configuration, row.process, number)
            }
            samples.ok.append(row)
            samples.okProcess.append(number)
        }

        var finished: ConfigurationSamples {
            var samples = samples
            samples.processes[.ok] = okProcesses.count
            for (status, identities) in otherProcesses { samples.processes[status] = identities.count }
            samples.pooledConfigurations = configurations.count
            return samples
        }
    }
}

extension ResultRow {
    /// Whether every configuration column (the `key` role) holds the same value in both rows.
    func sameConfiguration(as other: ResultRow) -> Bool {
        var row = self, other = other
        return Self.keyColumnList.allSatisfy { $0.field(in: &row) == $0.field(in: &other) }
    }

    static let keyColumnList = ResultSchema.columns.filter { $0.role == .key }
}
