/// The rows of one configuration: every sample measured with equal configuration columns
/// (`ResultRow.configurationColumns`, less any ignored ones).
public struct Configuration: Sendable {
    /// `ResultRow.configurationKey(ignoring:)` of every row here.
    public let key: String
    /// The first row seen; its configuration columns describe the configuration.
    public let first: ResultRow
    /// The rows with status ok, the only ones that enter figures.
    public private(set) var ok: [ResultRow] = []
    /// The rows with status failed or timeout.
    public private(set) var notOK: [ResultRow] = []

    /// How many processes (distinct run and process number) ended with `status`.
    public func processCount(_ status: RowStatus) -> Int {
        let rows = status == .ok ? ok : notOK.filter { $0.status == status }
        return Set(rows.map { "\($0.runID)/\($0.process)" }).count
    }

    /// The finite values of `metric` over the ok rows (rows where it is nil are skipped).
    public func values(_ metric: (ResultRow) -> Double?) -> [Double] {
        ok.compactMap(metric).filter(\.isFinite)
    }

    /// Groups `rows` into configurations, in order of first appearance; columns in
    /// `ignoring` are left out of the key, so rows differing only there are pooled.
    public static func group(_ rows: [ResultRow], ignoring: Set<String> = []) -> [Configuration] {
        var order: [String] = []
        var byKey: [String: Configuration] = [:]
        for row in rows {
            let key = row.configurationKey(ignoring: ignoring)
            if byKey[key] == nil {
                order.append(key)
                byKey[key] = Configuration(key: key, first: row)
            }
            if row.status == .ok {
                byKey[key]!.ok.append(row)
            } else {
                byKey[key]!.notOK.append(row)
            }
        }
        return order.map { byKey[$0]! }
    }
}
