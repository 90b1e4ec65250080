import Foundation
#if canImport(Glibc)
import Glibc
#endif
import FTLabCore

/// Reports a suite's progress: a line rewritten in place on a terminal (what runs, how many
/// are done, ETA), one plain line per finished process otherwise (CI logs).
public final class Progress: @unchecked Sendable {
    private let interactive: Bool
    private let quiet: Bool
    private var total = 0
    private var started = ContinuousClock.now

    /// `interactive` defaults to whether stderr is a terminal.
    public init(interactive: Bool? = nil, quiet: Bool = false) {
        self.interactive = interactive ?? (isatty(STDERR_FILENO) == 1)
        self.quiet = quiet
    }

    package func begin(total: Int, skipped: Int) {
        self.total = total
        started = .now
        guard !quiet else { return }
        let resumed = skipped > 0 ? " (\(skipped) already complete, skipped)" : ""
        emit("running \(total) process\(total == 1 ? "" : "es")\(resumed)\n")
    }

    package func starting(_ unit: WorkUnit, index: Int) {
        guard interactive, !quiet else { return }
        let more = unit.isShared ? " and \(unit.members.count - 1) more in its process" : ""
        emit("\r\u{1B}[K[\(index + 1)/\(total)] \(unit.configuration.name)\(more) process \(unit.process)\(eta(done: index))")
    }

    package func finished(_ outcome: ProcessOutcome, index: Int) {
        guard !quiet else { return }
        let samples = outcome.measuredSamples
        let throughput = samples.isEmpty ? 0 :
            samples.map { Double($0.ops) / (Double($0.wallNanoseconds) / 1e9) }.sorted()[samples.count / 2]
        let unit = outcome.unit.configuration.workload.manifest.unit
        let status: String
        switch outcome.verdict {
        case .ok: status = "ok \(Self.si(throughput)) \(unit)/s"
        case .failed(let m): status = "FAILED: \(m.prefix(400))"
        case .timeout(let m): status = "TIMEOUT: \(m.prefix(400))"
        }
        let line = "[\(index + 1)/\(total)] \(outcome.unit.configuration.name) process \(outcome.unit.process): \(status)"
        if interactive {
            if outcome.verdict != .ok { emit("\r\u{1B}[K\(line)\n") }
        } else {
            emit(line + "\n")
        }
    }

    package func end(_ report: SuiteReport) {
        guard !quiet else { return }
        if interactive { emit("\r\u{1B}[K") }
        let failed = report.processesFailed > 0 ? ", \(report.processesFailed) failed" : ""
        let stopped = report.interrupted ? " (interrupted)" : ""
        emit("ran \(report.processesRun) processes in \(Int(report.elapsedSeconds.rounded())) s\(failed)\(stopped)\n")
    }

    private func eta(done: Int) -> String {
        guard done > 0 else { return "" }
        let seconds = MonotonicClock.seconds(since: started)
        let left = Int((seconds / Double(done) * Double(total - done)).rounded())
        return String(format: "  ETA %d:%02d", left / 60, left % 60)
    }

    private func emit(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// 1234567 -> "1.23 M".
    public static func si(_ value: Double) -> String {
        let (scaled, suffix): (Double, String) =
            value >= 1e9 ? (value / 1e9, " G") : value >= 1e6 ? (value / 1e6, " M") : value >= 1e3 ? (value / 1e3, " k") : (value, "")
        return String(format: "%.3g", scaled) + suffix
    }
}
