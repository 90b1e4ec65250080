import Foundation
import FTLabCore

/// How `compare` pairs and judges configurations.
public struct ComparisonOptions: Sendable {
    /// The smallest relative change reported as significant (0.05 is 5%).
    public var threshold: Double
    /// ConfigurationSamples columns left out when pairing configurations.
    public var ignoring: Set<String>
    /// The metrics compared (latencies only where both files record them).
    public var metrics: [Metric]
    public var bootstrap: Bootstrap
    /// Which rows of the base file form the base side (all when nil); its column is left out
    /// when pairing.
    public var baseSelection: RowSelection?
    /// Which rows of the new file form the new side (all when nil).
    public var newSelection: RowSelection?

    public init(threshold: Double = 0.05, ignoring: Set<String> = [], metrics: [Metric] = Metric.allCases,
                bootstrap: Bootstrap = Bootstrap(), baseSelection: RowSelection? = nil, newSelection: RowSelection? = nil) {
        self.threshold = threshold
        self.ignoring = ignoring
        self.metrics = metrics
        self.bootstrap = bootstrap
        self.baseSelection = baseSelection
        self.newSelection = newSelection
    }

    /// The columns left out when pairing: `ignoring` and the selections' columns.
    package var pairingIgnores: Set<String> {
        ignoring.union([baseSelection?.column, newSelection?.column].compactMap { $0 })
    }

    /// Options from command-line text: `threshold` as "5%" or "0.05" (a bare number of 1
    /// or more is refused as ambiguous), `ignore` and `metrics` as comma-separated names.
    /// `base` and `new` select each side's rows as `COLUMN=VALUE`.
    public init(threshold: String, ignore: String?, metrics: String?,
                base: String? = nil, new: String? = nil) throws(CompareError) {
        self.init(threshold: try Self.parseThreshold(threshold),
                  ignoring: Set(try Self.names(ignore, valid: ResultRow.configurationColumns, error: CompareError.unknownColumn)))
        if let base { baseSelection = try RowSelection(parsing: base, option: "--base") }
        if let new { newSelection = try RowSelection(parsing: new, option: "--new") }
        let chosen = try Self.names(metrics, valid: Metric.allCases.map(\.rawValue), error: CompareError.unknownMetric)
        if !chosen.isEmpty { self.metrics = chosen.map { Metric(rawValue: $0)! } }
    }

    package static func parseThreshold(_ text: String) throws(CompareError) -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let value: Double?
        if trimmed.hasSuffix("%") {
            value = Double(trimmed.dropLast()).map { $0 / 100 }
        } else {
            value = Double(trimmed)
        }
        guard let value, value >= 0, value < 1 else { throw .badThreshold(text) }
        return value
    }

    private static func names(_ list: String?, valid: [String],
                              error: (String, [String]) -> CompareError) throws(CompareError) -> [String] {
        let names = (list ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if let bad = names.first(where: { !valid.contains($0) }) { throw error(bad, valid) }
        return names
    }
}
