/// The rows of one configuration: every sample measured with equal configuration columns
/// (`ResultRow.configurationColumns`, less any ignored ones).
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

    /// How many processes ended with `status`.
    public func processCount(_ status: RowStatus) -> Int {
        let rows = status == .ok ? ok : notOK.filter { $0.status == status }
        return Set(rows.map(Self.processIdentity)).count
    }

    /// What tells one process from another: its run, its full configuration (process numbers
    /// restart with each configuration, and `--ignore` may pool several) and its number.
    private static func processIdentity(_ row: ResultRow) -> String {
        "\(row.runID)|\(row.configurationKey())|\(row.process)"
    }

    /// The finite values of `metric` over the ok rows (rows where it is nil are skipped).
    public func values(_ metric: (ResultRow) -> Double?) -> [Double] {
        ok.compactMap(metric).filter(\.isFinite)
    }

    /// The finite values of `metric` over the ok rows, grouped by process in order of
    /// appearance; processes without a value are left out.
    public func processValues(_ metric: (ResultRow) -> Double?) -> [[Double]] {
        ok.compactMap { row in metric(row).flatMap { $0.isFinite ? (Self.processIdentity(row), $0) : nil } }
            .groupedInOrder(by: \.0).map { $0.members.map(\.1) }
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
        rows.groupedInOrder { $0.configurationKey(ignoring: ignoring) }.map { key, members in
            var samples = ConfigurationSamples(key: key, first: members[0], ignored: ignoring)
            samples.ok = members.filter { $0.status == .ok }
            samples.notOK = members.filter { $0.status != .ok }
            return samples
        }
    }
}
