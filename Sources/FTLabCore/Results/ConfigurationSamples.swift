/// The rows of one configuration: every sample measured with equal configuration columns
/// (`ResultRow.configurationColumns`, less any ignored ones).
///
/// No ok row is kept: each leaves its figures as a ``Sample`` (numbers as numbers, its
/// process numbered once while grouping), so a configuration of a million rows holds a few
/// tens of bytes per row and the statistics never copy a row or build a string per row. The
/// first row (which describes the configuration) and the rows that did not end ok are kept whole.
public struct ConfigurationSamples: Sendable {
    /// `ResultRow.configurationKey(ignoring:)` of every row here.
    public let key: String
    /// The first row seen; its configuration columns describe the configuration.
    public let first: ResultRow
    /// The configuration columns left out of the key.
    public let ignored: Set<String>
    /// The figures of the rows with status ok (the only ones that enter figures), in file order.
    public private(set) var ok: [Sample] = []
    /// The `unit` of the first ok row; nil when no row was ok.
    public private(set) var okUnit: String?
    /// The rows with status failed or timeout.
    public private(set) var notOK: [ResultRow] = []
    /// Distinct processes per status.
    private var processes: [RowStatus: Int] = [:]
    /// How many distinct configurations (all key columns, ignored ones included) are pooled here.
    public private(set) var pooledConfigurations = 1

    /// The figures of one ok row that the statistics use, and its process.
    public struct Sample: Sendable, Equatable {
        /// The row's process: 0, 1, ... in order of first appearance within the configuration.
        public let process: Int
        public let throughput: Double
        public let maxRSSKiB: Int
        public let latencyP50us: Double?
        public let latencyP99us: Double?
        public let latencyP999us: Double?

        init(_ row: ResultRow, process: Int) {
            self.process = process
            throughput = row.throughput
            maxRSSKiB = row.maxRSSKiB
            latencyP50us = row.latencyP50us
            latencyP99us = row.latencyP99us
            latencyP999us = row.latencyP999us
        }
    }

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
    public func values(_ metric: (Sample) -> Double?) -> [Double] {
        ok.compactMap(metric).filter(\.isFinite)
    }

    /// The finite values of `metric` over the ok rows, grouped by process in order of
    /// appearance; processes without a value are left out.
    public func processValues(_ metric: (Sample) -> Double?) -> [[Double]] {
        var slot = [Int](repeating: -1, count: processCount(.ok))
        var groups: [[Double]] = []
        for sample in ok {
            guard let value = metric(sample), value.isFinite else { continue }
            if slot[sample.process] < 0 {
                slot[sample.process] = groups.count
                groups.append([])
            }
            groups[slot[sample.process]].append(value)
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
        var grouping = Grouping(ignoring: ignoring)
        for row in rows { grouping.add(row) }
        return grouping.configurations
    }

    /// Groups rows into configurations one row at a time, as they are read, so that a file
    /// is grouped without holding its rows (``group(_:ignoring:)`` over a stream).
    public struct Grouping: Sendable {
        /// The configuration columns left out of the key.
        public let ignoring: Set<String>
        private var groups: [Builder] = []
        private var index: [String: Int] = [:]
        /// The last row's configuration columns, where it went, and its full configuration's index there.
        private var previous: (key: ResultRow.KeyColumns, group: Int, configuration: Int)?
        /// Where each full configuration met so far went (its group, and its index there), by
        /// its configuration columns: a configuration met again needs no key built.
        private var placed: [ResultRow.KeyColumns: (group: Int, configuration: Int)] = [:]

        public init(ignoring: Set<String> = []) {
            self.ignoring = ignoring
        }

        /// Adds one row (of any status) to its configuration.
        public mutating func add(_ row: ResultRow) {
            // Rows of one configuration usually follow one another: compare the key columns with
            // the row before's instead of building and hashing the key again.
            if let previous, previous.key.matches(row) {
                groups[previous.group].add(row, configuration: previous.configuration)
                return
            }
            let columns = ResultRow.KeyColumns(row)
            if let known = placed[columns] {
                groups[known.group].add(row, configuration: known.configuration)
                previous = (columns, known.group, known.configuration)
                return
            }
            let key = row.configurationKey(ignoring: ignoring)
            let group = index[key] ?? {
                index[key] = groups.count
                groups.append(Builder(samples: ConfigurationSamples(key: key, first: row, ignored: ignoring)))
                return groups.count - 1
            }()
            let configuration = groups[group].configurationIndex(ignoring.isEmpty ? key : row.configurationKey())
            groups[group].add(row, configuration: configuration)
            placed[columns] = (group, configuration)
            previous = (columns, group, configuration)
        }

        /// The configurations so far, in order of first appearance.
        public var configurations: [ConfigurationSamples] { groups.map(\.finished) }
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
            if samples.okUnit == nil { samples.okUnit = row.unit }
            samples.ok.append(Sample(row, process: number))
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
    /// The configuration columns (the `key` role) of one row, to tell whether the next row has
    /// the same configuration without building its key or copying either row.
    /// (`ConfigurationSamplesTests` checks that every `key` column of the schema is here.)
    struct KeyColumns: Sendable, Hashable {
        let workload, variant, params, interpreter, pythonVersion, build, env, placement, allocator: String
        let threads: Int

        init(_ row: ResultRow) {
            (workload, variant, params, interpreter) = (row.workload, row.variant, row.params, row.interpreter)
            (pythonVersion, build, env, placement, allocator) = (row.pythonVersion, row.build, row.env, row.placement, row.allocator)
            threads = row.threads
        }

        /// Whether `row` holds these values in every configuration column.
        func matches(_ row: ResultRow) -> Bool {
            row.threads == threads && row.workload == workload && row.variant == variant && row.params == params
                && row.interpreter == interpreter && row.pythonVersion == pythonVersion && row.build == build
                && row.env == env && row.placement == placement && row.allocator == allocator
        }
    }
}
