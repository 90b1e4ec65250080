import FTLabCore
/// The one-sentence verdict: a headline naming what limits scaling, then its evidence.
///
/// Rules, first match decides the headline (shares are means over the worker threads):
/// - `GIL waits`: the GIL is on, more than one thread, blocked >= 20% of wall time.
/// - `lock waits`: blocked >= 20% with evidence of locking (>= 100 futex calls or sleeps per
///   thread per second, or a growing lock contention point); or a lock contention point that
///   grew by >= 20 points of samples while threads are seldom blocked (short or spinning waits).
/// - `blocked`: blocked >= 20% with no sign of locks (I/O, sleeps).
/// - `CPU shortage`: runnable but waiting for a CPU >= 20% of wall time.
/// - `uneven threads`: done early, waiting for slower threads >= 20% of wall time.
/// - `scales`: speedup >= 80% of the thread ratio.
/// - `slower per thread`: otherwise — threads run, but each one's work got slower.
/// A CPU shortage or uneven threads behind another headline, and the largest growing contention point (or, for
/// `slower per thread`, the largest growing symbol), are added as evidence.
public enum ScalingVerdict {
    package static let blockedLimit = 0.2
    package static let runnableLimit = 0.2
    package static let unevenLimit = 0.2
    package static let lockRate = 100.0
    package static let spinGrowth = 0.2
    package static let scalingEfficiency = 0.8

    public static func sentence(for c: ConfigurationExplanation) -> String {
        let blocked = c.target.meanBlockedShare, runnable = c.target.meanRunnableShare
        let early = c.target.meanAfterFinishShare
        let lockFinding = c.findings.first { $0.entry.kind == .lock }
        let futexRate = c.lockWaits?.callsPerThreadPerSecond
        let sleepRate = c.target.meanVoluntaryPerSecond
        let waits = futexRate.map { "\(count($0)) futex calls/s per thread" } ?? "\(count(sleepRate)) sleeps/s per thread"
        let lockEvidence = (futexRate ?? 0) >= lockRate || sleepRate >= lockRate || lockFinding != nil
        let ratio = Double(c.threads) / Double(c.baselineThreads)
        let speedupText = c.speedup.map { "speedup \(NumberFormat.ratio($0)) at \(c.threads) threads" }
            ?? "\(c.threads) threads"

        var headline: String
        var clauses: [String] = []
        if c.gilEnabled && c.threads > 1 && blocked >= blockedLimit {
            headline = "GIL waits"
            clauses.append("threads spend \(pct(blocked)) of wall time blocked, taking turns on the GIL (\(waits))")
        } else if blocked >= blockedLimit && lockEvidence {
            headline = "lock waits"
            clauses.append("threads spend \(pct(blocked)) of wall time blocked (\(waits))")
        } else if let lockFinding, lockFinding.growth >= spinGrowth {
            headline = "lock waits"
            clauses.append("lock code takes \(NumberFormat.percent(lockFinding.growth, digits: 0, signed: true)) of samples "
                + "though threads are blocked only \(pct(blocked)) of wall time (short or spinning waits)")
        } else if blocked >= blockedLimit {
            headline = "blocked"
            clauses.append("threads spend \(pct(blocked)) of wall time blocked with no sign of lock waits (\(waits)): I/O or sleeps")
        } else if runnable >= runnableLimit {
            headline = "CPU shortage"
            clauses.append(cpuShortage(runnable))
        } else if early >= unevenLimit {
            headline = "uneven threads"
            clauses.append(uneven(early))
        } else if let speedup = c.speedup, speedup >= scalingEfficiency * ratio {
            headline = "scales"
            clauses.append("\(speedupText); threads on a CPU \(pct(c.target.meanOnCPUShare)) of wall time")
        } else {
            headline = "slower per thread"
            clauses.append("threads stay on a CPU (\(pct(c.target.meanOnCPUShare))) but \(speedupText): each thread's work got slower")
        }
        if runnable >= runnableLimit && headline != "CPU shortage" {
            clauses.append(cpuShortage(runnable))
        }
        if early >= unevenLimit && headline != "uneven threads" {
            clauses.append(uneven(early))
        }
        if let finding = c.findings.first {
            let under = finding.caller.map { " under \($0)" } ?? ""
            clauses.append("\(NumberFormat.percent(finding.growth, digits: 0, signed: true)) of samples in `\(finding.symbol)`\(under): \(finding.entry.cause)")
        } else if headline == "slower per thread", let top = c.growing.first {
            clauses.append("most growth in `\(top.symbol)` (\(NumberFormat.percent(top.growth, digits: 0, signed: true)) of samples)")
        }
        return "\(headline): " + clauses.joined(separator: "; ")
    }

    package static func cpuShortage(_ runnable: Double) -> String {
        "threads wait \(pct(runnable)) of wall time for a CPU (more runnable threads than free CPUs: other processes, or more threads than CPUs)"
    }

    package static func uneven(_ early: Double) -> String {
        "threads wait \(pct(early)) of wall time for slower threads (uneven work, or uneven access to CPUs)"
    }

    package static func pct(_ share: Double) -> String { NumberFormat.percent(share, digits: 0) }

    package static func count(_ rate: Double) -> String {
        rate >= 100 ? String(Int(rate.rounded())) : String(format: "%.1f", rate)
    }
}
