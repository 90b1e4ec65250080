import Foundation
import FTLabCore

/// The output formats of `ftlab compare`.
public enum ComparisonFormat: String, CaseIterable, Sendable {
    case text, markdown, csv, json
}

/// Machine-readable exports of a comparison.
extension Comparison {
    /// The comparison in `format`; `color` applies to text only.
    public func rendered(as format: ComparisonFormat, color: Bool = false) -> String {
        switch format {
        case .text: text(color: color)
        case .markdown: markdown()
        case .csv: csv()
        case .json: json()
        }
    }

    /// One CSV row per compared metric and configuration: the key columns, then the figures.
    public func csv() -> String {
        let columns = ResultRow.configurationColumns.filter { !ignored.contains($0) }
        let header = columns + [
            "metric", "base_n", "base_median", "base_ci_low", "base_ci_high", "new_n", "new_median",
            "new_ci_low", "new_ci_high", "ratio", "ratio_ci_low", "ratio_ci_high", "p_value", "conclusive", "verdict",
        ]
        let records = results.map { result in
            columns.map { result.configuration[$0] ?? "" } + [result.metric.rawValue]
                + Self.fields(result.base) + Self.fields(result.new)
                + [result.ratio, result.ratioInterval.low, result.ratioInterval.high, result.pValue].map(ResultRow.format)
                + [String(result.conclusive), result.verdict.rawValue]
        }
        return ResultWriter.encode([header] + records)
    }

    /// The whole comparison as one `ftlab.compare/1` JSON document (keys in snake_case, sorted).
    public func json() -> String {
        // Every stored value is a plain string, number or array of them: encoding cannot fail.
        try! JSONOutput.document("compare", self) + "\n"
    }

    private static func fields(_ summary: Summary) -> [String] {
        [String(summary.n)] + [summary.median, summary.ciLow, summary.ciHigh].map(ResultRow.format)
    }
}
