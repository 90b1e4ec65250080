import FTLabCore
/// The terminal rendering of an explanation: per configuration, the per-thread table (time
/// accounting and futex calls), the growing symbols, notes, and the verdict.
public enum ExplainText {
    public static func render(_ explanation: Explanation) -> String {
        var parts = explanation.configurations.map { configuration($0, workload: explanation.workload) }
        if let difference = explanation.buildDifference {
            parts.append(buildDifference(difference))
        }
        return parts.joined(separator: "\n\n") + "\n"
    }

    package static func configuration(_ c: ConfigurationExplanation, workload: String) -> String {
        var lines = ["\(workload) on \(c.interpreter) (\(buildText(c))) at \(threadsText(c.threads))"]
        lines.append(throughputLine(c))
        lines.append("")
        lines.append(threadTable(c))
        lines.append(baselineLine(c))
        lines.append(lockWaitsLine(c))
        lines.append("")
        lines.append(contentsOf: profileLines(c))
        lines.append("")
        lines.append("verdict: " + c.verdict)
        return lines.joined(separator: "\n")
    }

    package static func buildText(_ c: ConfigurationExplanation) -> String {
        (c.build == "freethreaded" ? "free-threaded" : "GIL build") + (c.gilEnabled ? ", GIL on" : ", GIL off")
    }

    package static func threadsText(_ n: Int) -> String { n == 1 ? "1 thread" : "\(n) threads" }

    package static func throughputLine(_ c: ConfigurationExplanation) -> String {
        let speedup = c.speedup.map { ": speedup \(NumberFormat.ratio($0))" } ?? ""
        return "throughput: \(NumberFormat.si(c.target.throughput)) \(c.unit)/s at \(threadsText(c.threads)), "
            + "\(NumberFormat.si(c.baseline.throughput)) \(c.unit)/s at \(threadsText(c.baselineThreads))\(speedup)"
    }

    /// One row per worker thread: where its wall time went over the measured samples.
    package static func threadTable(_ c: ConfigurationExplanation) -> String {
        var table = Table(header: threadHeader, rightAligned: Set(1...9))
        for (i, t) in c.target.threads.enumerated() {
            let futex = c.lockWaits.flatMap { i < $0.threads.count ? $0.threads[i] : nil }
            table.rows.append([
                String(i), String(t.tid), pct(t.onCPUShare), pct(t.runnableShare), pct(t.blockedShare),
                pct(t.afterFinishShare), String(t.ctxVoluntary), String(t.ctxInvoluntary),
                futex.map { String($0.calls) } ?? "-", futex.map { String(format: "%.1f", $0.totalMilliseconds) } ?? "-",
            ])
        }
        return table.text()
    }

    package static let threadHeader = ["thread", "tid", "on-CPU", "runnable", "blocked", "done early", "ctx vol", "ctx invol",
                               "futex calls", "futex ms"]

    package static func baselineLine(_ c: ConfigurationExplanation) -> String {
        let b = c.baseline
        return "at \(threadsText(c.baselineThreads)): on-CPU \(pct(b.meanOnCPUShare)), runnable \(pct(b.meanRunnableShare)), "
            + "blocked \(pct(b.meanBlockedShare)) (mean per thread; shares of the measured samples' wall time; "
            + "done early: finished its batch, waiting for slower threads)"
    }

    package static func lockWaitsLine(_ c: ConfigurationExplanation) -> String {
        if let waits = c.lockWaits {
            return "lock waits (perf trace): \(ScalingVerdict.count(waits.callsPerThreadPerSecond)) futex calls/s per thread, "
                + "\(pct(waits.meanTimeShare)) of each worker's life in futex (whole life, calibration included)"
        }
        return "lock waits: not measured: \(c.lockWaitsNote ?? "no perf")"
    }

    package static func profileLines(_ c: ConfigurationExplanation) -> [String] {
        var lines: [String] = []
        if let profile = c.targetProfile {
            lines.append("growing symbols (share of worker samples with the symbol on the stack, "
                + "\(threadsText(c.baselineThreads)) -> \(threadsText(c.threads)); \(profile.sampleCount) samples at \(threadsText(c.threads))):")
            if c.growing.isEmpty {
                lines.append("  none grew by \(pct(SymbolDiff.minimumGrowth)) or more")
            } else {
                var table = Table(header: ["symbol", threadsText(c.baselineThreads), threadsText(c.threads), "growth", "cause"],
                                  rightAligned: [1, 2, 3])
                for g in c.growing {
                    table.rows.append([symbolText(g), pct(g.baseShare), pct(g.targetShare),
                                       NumberFormat.percent(g.growth, digits: 1, signed: true), g.contention?.cause ?? ""])
                }
                lines.append(table.text())
            }
        }
        if let note = c.profileNote { lines.append("profile: \(note)") }
        return lines
    }

    package static func buildDifference(_ d: (gil: String, freeThreaded: String, growing: [SymbolGrowth])) -> String {
        var lines = ["\(d.freeThreaded) against \(d.gil) at the same threads: larger shares of samples on the free-threaded build"]
        if d.growing.isEmpty {
            lines.append("  none larger by \(pct(SymbolDiff.minimumGrowth)) or more")
        } else {
            var table = Table(header: ["symbol", d.gil, d.freeThreaded, "difference", "cause"], rightAligned: [1, 2, 3])
            for g in d.growing {
                table.rows.append([symbolText(g), pct(g.baseShare), pct(g.targetShare),
                                   NumberFormat.percent(g.growth, digits: 1, signed: true), g.contention?.cause ?? ""])
            }
            lines.append(table.text())
        }
        return lines.joined(separator: "\n")
    }

    /// The symbol, with how many others share its stacks: `PyMutex_Lock (+3 on the same stacks)`.
    package static func symbolText(_ g: SymbolGrowth) -> String {
        g.sameStacks.isEmpty ? g.symbol : "\(g.symbol) (+\(g.sameStacks.count) on the same stacks)"
    }

    package static func pct(_ share: Double) -> String { NumberFormat.percent(share, digits: 0) }
}
