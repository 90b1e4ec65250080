import FTLabCore

/// `ftlab explain --format json`: one `ftlab.explain/1` document with, per interpreter, the
/// throughput and mean per-thread time shares at the baseline and target thread counts, the
/// lock waits, the symbols whose share grew, and the verdict; shares are fractions (0.25 is 25%).
public enum ExplainJSON {
    struct Accounting: Encodable {
        var threads: Int
        var throughput, meanOnCpuShare, meanRunnableShare, meanBlockedShare, meanAfterFinishShare: Double
        var meanVoluntarySwitchesPerSecond: Double

        init(_ accounting: ThreadAccounting) {
            threads = accounting.threads.count
            throughput = accounting.throughput
            meanOnCpuShare = accounting.meanOnCPUShare
            meanRunnableShare = accounting.meanRunnableShare
            meanBlockedShare = accounting.meanBlockedShare
            meanAfterFinishShare = accounting.meanAfterFinishShare
            meanVoluntarySwitchesPerSecond = accounting.meanVoluntaryPerSecond
        }
    }

    struct Growth: Encodable {
        var symbol: String
        var baseShare, targetShare: Double
        var contention: Bool
    }

    struct Configuration: Encodable {
        var interpreter, build, unit, verdict: String
        var gilEnabled: Bool
        var threads, baselineThreads: Int
        var speedup: Double?
        var target, baseline: Accounting
        var futexCallsPerThreadPerSecond, futexTimeShare: Double?
        var lockWaitsNote, profileNote: String?
        var growing: [Growth]
    }

    struct Document: Encodable {
        var workload: String
        var configurations: [Configuration]
    }

    /// The document for `explanation`.
    public static func render(_ explanation: Explanation) throws -> String {
        try JSONOutput.document("explain", Document(
            workload: explanation.workload,
            configurations: explanation.configurations.map { c in
                Configuration(
                    interpreter: c.interpreter, build: c.build, unit: c.unit, verdict: c.verdict, gilEnabled: c.gilEnabled,
                    threads: c.threads, baselineThreads: c.baselineThreads, speedup: c.speedup,
                    target: Accounting(c.target), baseline: Accounting(c.baseline),
                    futexCallsPerThreadPerSecond: c.lockWaits?.callsPerThreadPerSecond,
                    futexTimeShare: c.lockWaits?.meanTimeShare, lockWaitsNote: c.lockWaitsNote, profileNote: c.profileNote,
                    growing: c.growing.map {
                        Growth(symbol: $0.symbol, baseShare: $0.baseShare, targetShare: $0.targetShare,
                               contention: $0.contention != nil)
                    })
            })) + "\n"
    }
}
