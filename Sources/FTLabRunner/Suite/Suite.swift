import Foundation
#if canImport(Glibc)
import Glibc
#endif
import FTLabCore

/// What a finished (or interrupted) suite did.
public struct SuiteReport: Sendable {
    /// Every row this run wrote, in order.
    public var rows: [ResultRow] = []
    public var processesRun = 0
    public var processesFailed = 0
    public var processesSkipped = 0
    public var interrupted = false
    public var elapsedSeconds = 0.0
}

/// Runs a schedule of work units, appending each finished process's rows to the results file
/// before starting the next, so a crash or Ctrl-C never loses a finished measurement.
public struct Suite: Sendable {
    public var runner: WorkUnitRunner
    public var rowMaker: RowMaker

    public init(runner: WorkUnitRunner, rowMaker: RowMaker) {
        self.runner = runner
        self.rowMaker = rowMaker
    }

    /// Runs `units` (skipping those in `completed`), writing rows through `writer`; no unit
    /// starts after `deadline` (those left are counted as skipped).
    public func run(_ units: [WorkUnit], completed: Set<String> = [], writer: ResultWriter,
                    progress: Progress, deadline: ContinuousClock.Instant? = nil) async throws -> SuiteReport {
        var report = SuiteReport()
        let start = ContinuousClock.now
        let todo = units.compactMap { unit -> WorkUnit? in
            guard unit.isShared else { return completed.contains(Self.unitKey(unit, rowMaker: rowMaker)) ? nil : unit }
            let left = unit.members.filter { !completed.contains(Self.unitKey(WorkUnit(configuration: $0, process: unit.process), rowMaker: rowMaker)) }
            return left.isEmpty ? nil : WorkUnit(members: left, process: unit.process)
        }
        report.processesSkipped = units.count - todo.count
        progress.begin(total: todo.count, skipped: report.processesSkipped)
        for (index, unit) in todo.enumerated() {
            if LiveProcesses.shared.interrupted { report.interrupted = true; break }
            if let deadline, ContinuousClock.now >= deadline {
                report.processesSkipped += todo.count - index
                break
            }
            progress.starting(unit, index: index)
            let outcomes = unit.isShared ? try await runner.runShared(unit) : [try await runner.run(unit)]
            if LiveProcesses.shared.interrupted { report.interrupted = true; break }
            let rows = outcomes.flatMap(rowMaker.rows(for:))
            try writer.append(rows)
            report.rows += rows
            report.processesRun += 1
            if outcomes.contains(where: { $0.verdict != .ok }) { report.processesFailed += 1 }
            for outcome in outcomes { progress.finished(outcome, index: index) }
        }
        report.elapsedSeconds = MonotonicClock.seconds(since: start)
        progress.end(report)
        return report
    }

    /// Runs `units`, then, while time is left, rounds of one more process for exactly the
    /// configurations whose CI is still wider than `target` (`--ci-target`). The first units
    /// always run; no added process starts after the budget. `earlier` are rows of the same
    /// plan already in the file (a resumed run). Returns the report of everything run and each
    /// configuration's final standing.
    public func run(_ units: [WorkUnit], until target: PrecisionTarget, configurations: [RunConfiguration],
                    completed: Set<String> = [], earlier: [ResultRow] = [], writer: ResultWriter,
                    progress: Progress) async throws -> (SuiteReport, [PrecisionTarget.Standing]) {
        let deadline = ContinuousClock.now + .milliseconds(Int(target.budgetSeconds * 1000))
        var report = try await run(units, completed: completed, writer: writer, progress: progress)
        var standings = PrecisionTarget.standings(configurations, rows: earlier + report.rows, rowMaker: rowMaker,
                                                  pairsByEnv: target.pairsByEnv)
        var round = target.nextRound(standings)
        while !round.isEmpty, !report.interrupted, ContinuousClock.now < deadline {
            let more = try await run(round, writer: writer, progress: progress, deadline: deadline)
            report.rows += more.rows
            report.processesRun += more.processesRun
            report.processesFailed += more.processesFailed
            report.interrupted = more.interrupted
            report.elapsedSeconds += more.elapsedSeconds
            standings = PrecisionTarget.standings(configurations, rows: earlier + report.rows, rowMaker: rowMaker,
                                                  pairsByEnv: target.pairsByEnv)
            round = target.nextRound(standings)
        }
        return (report, standings)
    }

    /// Identifies a unit across runs (for `--resume`): its plan, not its observations.
    public static func unitKey(_ unit: WorkUnit, rowMaker: RowMaker) -> String {
        var row = rowMaker.baseRow(for: unit.configuration)
        row.process = unit.process
        return unitKey(row)
    }

    /// A row's configuration as `unitKey` names it, without the process.
    public static func configurationKey(_ row: ResultRow) -> String {
        [row.workload, row.variant, row.params, row.interpreter, row.env, String(row.threads),
         row.placement, row.allocator].joined(separator: "|")
    }

    /// The same key read back from a CSV row.
    public static func unitKey(_ row: ResultRow) -> String {
        configurationKey(row) + "|" + String(row.process)
    }

    /// Units already complete in `rows`: every measured sample present, or a recorded failure.
    /// Also returns the keys of incomplete units, whose partial rows must not be kept.
    public static func completedUnits(in rows: [ResultRow], samplesPerProcess: Int) -> (complete: Set<String>, partial: Set<String>) {
        var grouped: [String: [ResultRow]] = [:]
        for row in rows { grouped[unitKey(row), default: []].append(row) }
        var complete = Set<String>()
        var partial = Set<String>()
        for (key, group) in grouped {
            let failed = group.contains { $0.status != .ok }
            let samples = Set(group.map(\.sample))
            if failed || samples.count >= samplesPerProcess { complete.insert(key) } else { partial.insert(key) }
        }
        return (complete, partial)
    }
}

/// Installs a Ctrl-C / SIGTERM / SIGHUP handler that kills every interpreter process ftlab started.
public enum InterruptHandler {
    /// After this, SIGINT/SIGTERM/SIGHUP kill the live process groups and mark the run interrupted.
    public static func install() {
        HelperSignals.claim { _ in LiveProcesses.shared.killAll() }
    }
}
