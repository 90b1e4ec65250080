import Foundation
import FTLabCore

/// `--ci-target`: after the first processes, add rounds of one more process to exactly the
/// configurations whose throughput CI (95%, two-stage bootstrap: processes, then samples) is
/// still wider than the target, interleaved as the schedule interleaves, until every one meets
/// it, reaches `maxProcesses`, or the budget is spent. With `--ab-env` (``pairsByEnv``) the
/// figure is the A/B pair's ratio instead: both sides of a pair get one more process until the
/// 95% CI of B's median throughput over A's is within the target, so a `compare` gate at that
/// threshold can decide.
public struct PrecisionTarget: Sendable, Equatable {
    /// The CI half-width wanted, relative to the median (0.02 is ±2%).
    public var halfWidth: Double
    /// Wall-clock seconds the whole run may take; no process starts after it.
    public var budgetSeconds: Double
    /// Processes per configuration at most.
    public var maxProcesses: Int

    /// The run is an A/B run (`--ab-env`): configurations that differ only in `env` are a pair,
    /// judged by the CI of their throughput ratio.
    public var pairsByEnv: Bool

    public init(halfWidth: Double, budgetSeconds: Double, maxProcesses: Int = 30, pairsByEnv: Bool = false) {
        self.halfWidth = halfWidth
        self.budgetSeconds = budgetSeconds
        self.maxProcesses = maxProcesses
        self.pairsByEnv = pairsByEnv
    }

    /// Where one configuration stands.
    public struct Standing: Sendable, Equatable {
        public var configuration: RunConfiguration
        /// Processes with ok rows so far.
        public var processes: Int
        /// The highest process number used so far (ok or failed).
        public var lastProcess: Int
        /// The throughput CI half-width, relative (in an A/B run: that of the pair's ratio); nil
        /// without ok rows.
        public var halfWidth: Double?
    }

    /// The standing of each configuration of `configurations` given `rows` (matched by
    /// configuration, not by run); with `pairsByEnv`, both members of an A/B pair carry the
    /// half-width of their ratio's CI.
    public static func standings(_ configurations: [RunConfiguration], rows: [ResultRow], rowMaker: RowMaker,
                                 pairsByEnv: Bool = false, bootstrap: Bootstrap = Bootstrap()) -> [Standing] {
        let byKey = Dictionary(grouping: rows, by: Suite.configurationKey)
        var values: [[[Double]]] = []
        var standings = configurations.map { configuration in
            let key = Suite.configurationKey(rowMaker.baseRow(for: configuration))
            let rows = byKey[key] ?? []
            let ok = ConfigurationSamples.group(rows.filter { $0.status == .ok }).first
            let mine = ok?.processValues(\.throughput) ?? []
            values.append(mine)
            return Standing(configuration: configuration, processes: mine.count,
                            lastProcess: rows.map(\.process).max() ?? 0,
                            halfWidth: Summary(processes: mine).map(\.relativeHalfWidth))
        }
        guard pairsByEnv else { return standings }
        let pairs = configurations.indices.groupedInOrder { rowMaker.baseRow(for: configurations[$0]).configurationKey(ignoring: ["env"]) }
        for (_, members) in pairs where members.count == 2 {
            let (a, b) = (members[0], members[1])
            guard !values[a].isEmpty, !values[b].isEmpty else { continue }
            let ratio = Descriptive.median(values[b].flatMap { $0 }) / Descriptive.median(values[a].flatMap { $0 })
            let interval = bootstrap.ratioOfMediansInterval(base: values[a], new: values[b])
            let width = max(ratio - interval.low, interval.high - ratio) / ratio
            standings[a].halfWidth = width
            standings[b].halfWidth = width
        }
        return standings
    }

    /// The next round: one more process for each configuration above the target that has ok
    /// rows (one that only fails would fail again) and is under `maxProcesses`.
    public func nextRound(_ standings: [Standing]) -> [WorkUnit] {
        standings.filter { standing in
            guard let width = standing.halfWidth else { return false }
            return width > halfWidth && standing.lastProcess < maxProcesses
        }.map { WorkUnit(configuration: $0.configuration, process: $0.lastProcess + 1) }
    }

    /// The configurations that missed the target, each with its half-width and processes.
    public func misses(_ standings: [Standing]) -> [Standing] {
        standings.filter { ($0.halfWidth ?? .infinity) > halfWidth }
    }

    /// Parses `2%`, `0.02`; the target must be above 0 and below 100%.
    public static func parseHalfWidth(_ text: String) throws(RunInputError) -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let value = trimmed.hasSuffix("%") ? Double(trimmed.dropLast()).map { $0 / 100 } : Double(trimmed)
        guard let value, value > 0, value < 1 else { throw .badPrecision(option: "--ci-target", value: text) }
        return value
    }

    /// Parses `90s`, `30m`, `2h` or plain seconds.
    public static func parseDuration(_ text: String) throws(RunInputError) -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let scales: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
        let scale = trimmed.last.flatMap { scales[$0] }
        let number = scale == nil ? Double(trimmed) : Double(trimmed.dropLast())
        guard let number, number > 0, number.isFinite else { throw .badPrecision(option: "--budget", value: text) }
        return number * (scale ?? 1)
    }

    /// How the run went against this target: how many configurations met it, the processes
    /// used, and each miss.
    public func summary(_ standings: [Standing]) -> String {
        let misses = misses(standings)
        let used = standings.map(\.processes)
        let what = pairsByEnv ? "configurations' A/B ratio" : "configurations"
        var lines = ["precision: \(standings.count - misses.count) of \(standings.count) \(what) within ±"
                     + NumberFormat.percent(halfWidth) + " (processes per configuration: "
                     + "\(used.min() ?? 0)-\(used.max() ?? 0))"]
        for miss in misses {
            let width = miss.halfWidth.map { "±" + NumberFormat.percent($0) } ?? "no ok process"
            lines.append("  missed: \(miss.configuration.name) \(width) after \(miss.processes) process"
                         + (miss.processes == 1 ? "" : "es"))
        }
        return lines.joined(separator: "\n")
    }
}
