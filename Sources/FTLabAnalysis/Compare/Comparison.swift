import FTLabCore
/// Whether a metric changed significantly from the base run to the new one.
public enum Verdict: String, Sendable, Codable {
    case faster, slower, same

    /// Significant only when the interval of the ratio excludes 1 and the ratio's change
    /// (|ratio - 1|, in the interval's direction) reaches `threshold`.
    package init(ratio: Double, interval: Interval, threshold: Double, higherIsBetter: Bool) {
        let increased = interval.low > 1 && ratio - 1 >= threshold
        let decreased = interval.high < 1 && 1 - ratio >= threshold
        if increased || decreased {
            self = increased == higherIsBetter ? .faster : .slower
        } else {
            self = .same
        }
    }
}

/// One metric of one configuration measured in both files.
public struct MetricComparison: Sendable, Codable {
    /// The configuration's key columns (ignored ones left out), by CSV name.
    public let configuration: [String: String]
    public let label: String
    public let metric: Metric
    public let base: Summary
    public let new: Summary
    /// median(new) / median(base).
    public let ratio: Double
    /// The two-stage bootstrap confidence interval of `ratio` (processes, then samples).
    public let ratioInterval: Interval
    /// The two-sided Mann-Whitney U p-value of the per-process medians, base against new
    /// (with 3 processes a side it cannot go below 0.10; it is reported, not part of the verdict).
    public let pValue: Double
    public let verdict: Verdict
    /// Whether the verdict can be relied on: a change was found, or the CI lies inside
    /// ±threshold, so `same` rules out a change of the threshold's size. A `same` whose CI
    /// reaches past the threshold only says the data cannot tell. With threshold 0 there is
    /// no size to rule out, and every verdict counts as conclusive.
    public let conclusive: Bool
}

/// Processes of one configuration in one file that did not end ok.
public struct NotOKProcesses: Sendable, Codable {
    public let file: String
    public let label: String
    public let status: String
    public let processes: Int
    /// The first non-empty message of those rows.
    public let message: String
}

/// The geometric mean of the ratios of one workload and metric over its configurations.
public struct WorkloadGeometricMean: Sendable, Codable {
    public let workload: String
    public let metric: Metric
    public let configurations: Int
    public let ratio: Double
}

/// `ftlab compare`: two results files paired by configuration and judged metric by metric.
public struct Comparison: Sendable, Codable {
    public let baseFile: String
    public let newFile: String
    public let threshold: Double
    public let confidenceLevel: Double
    public let ignored: [String]
    /// The `--base` and `--new` selections, as written; nil when a side is a whole file.
    public let baseSelection: String?
    public let newSelection: String?
    /// One entry per configuration in both files and metric recorded in both.
    public let results: [MetricComparison]
    public let onlyInBase: [String]
    public let onlyInNew: [String]
    public let notOK: [NotOKProcesses]
    /// Configurations whose processes all succeeded in BASE but some failed or timed out in
    /// NEW: a change that breaks a workload is a regression too, whatever the figures say.
    public let broken: [String]
    public let geometricMeans: [WorkloadGeometricMean]
    public let warnings: [String]

    /// The base side as the report names it: the file, and the selection when there is one.
    public var baseSide: String { baseFile + (baseSelection.map { " [\($0)]" } ?? "") }
    /// The new side as the report names it.
    public var newSide: String { newFile + (newSelection.map { " [\($0)]" } ?? "") }

    /// The results judged significantly worse.
    public var regressions: [MetricComparison] {
        results.filter { $0.verdict == .slower }
    }

    /// The `same` verdicts whose CI reaches past ±threshold.
    public var inconclusive: [MetricComparison] {
        results.filter { !$0.conclusive }
    }

    /// About how many processes a side would narrow every inconclusive CI to ±threshold
    /// (a CI's width shrinks as 1/sqrt(processes)); nil when all are conclusive or no
    /// finite estimate exists (a median of 0).
    public var processesToResolve: Int? {
        inconclusive.compactMap { result in
            let processes = Double(min(result.base.processes, result.new.processes))
            let halfWidth = (result.ratioInterval.high - result.ratioInterval.low) / 2
            let needed = (processes * (halfWidth / threshold) * (halfWidth / threshold)).rounded(.up)
            return needed.isFinite ? Int(min(needed, 1e9)) : nil
        }.max()
    }

    /// The exit status of `ftlab compare`: 1 when any significant regression was found or a
    /// configuration broke, else 0.
    public var exitCode: Int32 {
        regressions.isEmpty && broken.isEmpty ? 0 : 1
    }

    /// Compares `new` against `base` (rows of any status; only ok ones enter the figures).
    /// `baseFile` and `newFile` name the inputs in the report. Throws when no configuration
    /// is in both.
    public init(base: [ResultRow], new: [ResultRow], baseFile: String, newFile: String,
                options: ComparisonOptions = ComparisonOptions()) throws(CompareError) {
        var baseSide = ComparisonSide.base(file: baseFile, options: options)
        var newSide = ComparisonSide.new(file: newFile, options: options)
        for row in base { baseSide.add(row) }
        for row in new { newSide.add(row) }
        try self.init(base: baseSide, new: newSide, options: options)
    }

    /// Compares two sides gathered as their files were read, made with the same `options`
    /// (see ``init(base:new:baseFile:newFile:options:)``).
    public init(base baseSide: ComparisonSide, new newSide: ComparisonSide,
                options: ComparisonOptions = ComparisonOptions()) throws(CompareError) {
        let baseFile = baseSide.file, newFile = newSide.file
        let baseConfigurations = try baseSide.configurations()
        let newConfigurations = try newSide.configurations()
        let newByKey = Dictionary(uniqueKeysWithValues: newConfigurations.map { ($0.key, $0) })
        let baseKeys = Set(baseConfigurations.map(\.key))
        let paired = baseConfigurations.compactMap { base in newByKey[base.key].map { (base, $0) } }
        ignored = ResultRow.configurationColumns.filter(options.pairingIgnores.contains)
        guard !paired.isEmpty else {
            throw .noCommonConfigurations(base: baseFile, new: newFile, ignored: ignored)
        }
        // Each configuration's bootstrap is independent of the others': spread them over the cores.
        results = paired.concurrentMap { base, new in
            options.metrics.compactMap { Self.compare(base, new, $0, options) }
        }.flatMap { $0 }
        self.baseFile = baseFile
        self.newFile = newFile
        baseSelection = options.baseSelection?.description
        newSelection = options.newSelection?.description
        threshold = options.threshold
        confidenceLevel = options.bootstrap.level
        onlyInBase = baseConfigurations.filter { newByKey[$0.key] == nil }.map(\.label)
        onlyInNew = newConfigurations.filter { !baseKeys.contains($0.key) }.map(\.label)
        notOK = Self.notOK(baseConfigurations, file: baseFile) + Self.notOK(newConfigurations, file: newFile)
        broken = paired.filter { base, new in base.notOK.isEmpty && !new.notOK.isEmpty }.map { $0.1.label }
        geometricMeans = Self.geometricMeans(results)
        warnings = Self.pooled(baseConfigurations, file: baseFile) + Self.pooled(newConfigurations, file: newFile)
            + Self.fewProcesses(paired.map(\.0), file: baseFile) + Self.fewProcesses(paired.map(\.1), file: newFile)
    }

    /// The comparison of one metric of a configuration; nil unless both sides record it.
    private static func compare(_ baseConfiguration: ConfigurationSamples, _ newConfiguration: ConfigurationSamples,
                                _ metric: Metric, _ options: ComparisonOptions) -> MetricComparison? {
        let base = baseConfiguration.processValues(metric.value(in:))
        let new = newConfiguration.processValues(metric.value(in:))
        // processValues gives finite values and no empty process, as Summary keeps them.
        guard !base.isEmpty, !new.isEmpty else { return nil }
        let intervals = options.bootstrap.comparisonIntervals(base: base, new: new)
        guard let baseSummary = Summary(processes: base, interval: { _ in intervals.base }),
              let newSummary = Summary(processes: new, interval: { _ in intervals.new }) else { return nil }
        let ratio = newSummary.median / baseSummary.median
        let interval = intervals.ratio
        // The process is the unit: one median per process, so that a process's samples,
        // which move together, count once.
        let pValue = MannWhitneyU(base.map(Descriptive.median), new.map(Descriptive.median)).p
        let verdict = Verdict(ratio: ratio, interval: interval, threshold: options.threshold,
                              higherIsBetter: metric.higherIsBetter)
        return MetricComparison(
            configuration: Dictionary(uniqueKeysWithValues: baseConfiguration.columns.map { ($0.name, $0.value) }),
            label: baseConfiguration.label, metric: metric, base: baseSummary, new: newSummary,
            ratio: ratio, ratioInterval: interval, pValue: pValue,
            verdict: verdict,
            conclusive: verdict != .same || options.threshold == 0
                || (interval.low >= 1 - options.threshold && interval.high <= 1 + options.threshold))
    }

    private static func notOK(_ configurations: [ConfigurationSamples], file: String) -> [NotOKProcesses] {
        configurations.flatMap { configuration in
            [RowStatus.failed, .timeout].compactMap { status in
                let count = configuration.processCount(status)
                guard count > 0 else { return nil }
                let message = configuration.notOK.first { $0.status == status && !$0.message.isEmpty }?.message ?? ""
                return NotOKProcesses(file: file, label: configuration.label, status: status.rawValue,
                                      processes: count, message: message)
            }
        }
    }

    private static func geometricMeans(_ results: [MetricComparison]) -> [WorkloadGeometricMean] {
        var groups: [(workload: String, metric: Metric, ratios: [Double])] = []
        for result in results {
            let workload = result.configuration["workload"] ?? ""
            if let index = groups.firstIndex(where: { $0.workload == workload && $0.metric == result.metric }) {
                groups[index].ratios.append(result.ratio)
            } else {
                groups.append((workload, result.metric, [result.ratio]))
            }
        }
        return groups.map {
            WorkloadGeometricMean(workload: $0.workload, metric: $0.metric, configurations: $0.ratios.count,
                                  ratio: Descriptive.geometricMean($0.ratios))
        }
    }

    /// The fewest processes a configuration needs for its interval to reflect how much
    /// processes differ from one another.
    package static let minimumProcesses = 3

    /// Warnings for compared configurations measured in fewer than `minimumProcesses` processes.
    private static func fewProcesses(_ configurations: [ConfigurationSamples], file: String) -> [String] {
        configurations.compactMap { configuration in
            let processes = configuration.processCount(.ok)
            guard processes < minimumProcesses else { return nil }
            return "\(file): \(configuration.label) has \(processes) ok process(es); its interval cannot "
                + "show how much processes differ (use --processes \(minimumProcesses) or more)"
        }
    }

    /// Warnings for configurations that `--ignore` pooled from several distinct ones.
    private static func pooled(_ configurations: [ConfigurationSamples], file: String) -> [String] {
        configurations.compactMap { configuration in
            let distinct = configuration.pooledConfigurations
            guard distinct > 1 else { return nil }
            return "\(file): the ignored columns pool \(distinct) configurations into \(configuration.label)"
        }
    }
}

extension Comparison {
    /// Compares the results file `new` (nil: `base` again, split by the options' `--base`
    /// and `--new` selections) against `base`, reading each file once (a file given twice is
    /// read once) and holding no row;
    /// also returns the readers' warnings (a torn last line left out).
    public static func read(base: String, new: String?, options: ComparisonOptions) throws -> (Comparison, warnings: [String]) {
        if new == nil, options.baseSelection == nil || options.newSelection == nil { throw CompareError.oneFileNeedsSelections }
        let new = new ?? base
        var baseSide = ComparisonSide.base(file: base, options: options)
        var newSide = ComparisonSide.new(file: new, options: options)
        var warnings: [String]
        if new == base, options.baseSelection == nil, options.newSelection == nil {
            // A file against itself (an A/A check): read and grouped once, for both sides.
            warnings = try ReportInput.forEachRow(paths: [base]) { baseSide.add($0) }.warnings
            warnings += warnings
            newSide = baseSide.asNewSideOfTheSameFile(options: options) ?? newSide
        } else if new == base {
            warnings = try ReportInput.forEachRow(paths: [base]) { baseSide.add($0); newSide.add($0) }.warnings
            warnings += warnings
        } else {
            warnings = try ReportInput.forEachRow(paths: [base]) { baseSide.add($0) }.warnings
            warnings += try ReportInput.forEachRow(paths: [new]) { newSide.add($0) }.warnings
        }
        return (try Comparison(base: baseSide, new: newSide, options: options), warnings)
    }
}
