import Foundation

/// End-of-run table (temporary minimal version).
public struct ScalingSummary {
    public var rows: [ResultRow]
    public init(rows: [ResultRow]) { self.rows = rows }
    public func text(color: Bool) -> String {
        var groups: [String: [Double]] = [:]
        for r in rows where r.status == .ok { groups["\(r.workload)/\(r.variant) \(r.interpreter) t=\(r.threads)", default: []].append(r.throughput) }
        return groups.keys.sorted().map { k in
            let v = groups[k]!.sorted()
            return "\(k): median \(v[v.count / 2]) (n=\(v.count), \(v.first!)..\(v.last!))"
        }.joined(separator: "\n")
    }
}
