/// Why one configuration (an interpreter at N threads) scales as it does.
public struct ConfigurationExplanation: Sendable {
    /// The interpreter's label (`cpython-3.13.5t`).
    public var interpreter: String
    /// `gil` or `freethreaded`, and whether the GIL was actually on, as the process said.
    public var build: String
    public var gilEnabled: Bool
    public var threads: Int
    public var baselineThreads: Int
    /// What one op is (`lines`).
    public var unit: String
    public var target: ThreadAccounting
    public var baseline: ThreadAccounting
    /// Futex calls per worker; nil with `lockWaitsNote` saying why.
    public var lockWaits: LockWaits?
    public var lockWaitsNote: String?
    /// Symbols that grew from the baseline to the target profile, and the contention points among them.
    public var growing: [SymbolGrowth] = []
    public var findings: [ContentionFinding] = []
    /// What limits the profile (no perf, no `-X perf` support...); nil when it is complete.
    public var profileNote: String?
    /// The target's profile, kept for the GIL vs free-threaded comparison.
    public var targetProfile: SymbolProfile?

    public init(interpreter: String, build: String, gilEnabled: Bool, threads: Int, baselineThreads: Int, unit: String,
                target: ThreadAccounting, baseline: ThreadAccounting) {
        self.interpreter = interpreter
        self.build = build
        self.gilEnabled = gilEnabled
        self.threads = threads
        self.baselineThreads = baselineThreads
        self.unit = unit
        self.target = target
        self.baseline = baseline
    }

    /// Target throughput over baseline throughput.
    public var speedup: Double? {
        baseline.throughput > 0 ? target.throughput / baseline.throughput : nil
    }

    /// The one-sentence verdict.
    public var verdict: String { ScalingVerdict.sentence(for: self) }
}

/// The whole explanation of one workload variant, over every interpreter asked for.
public struct Explanation: Sendable {
    /// `workload/variant`.
    public var workload: String
    public var configurations: [ConfigurationExplanation]

    public init(workload: String, configurations: [ConfigurationExplanation]) {
        self.workload = workload
        self.configurations = configurations
    }

    /// Free-threaded against GIL at the target thread count, when both builds were explained
    /// with profiles: the symbols with a larger share on the free-threaded build.
    public var buildDifference: (gil: String, freeThreaded: String, growing: [SymbolGrowth])? {
        guard let gil = configurations.first(where: { $0.gilEnabled }), let gilProfile = gil.targetProfile,
              let free = configurations.first(where: { !$0.gilEnabled }), let freeProfile = free.targetProfile,
              gilProfile.sampleCount > 0, freeProfile.sampleCount > 0 else { return nil }
        return (gil.interpreter, free.interpreter, SymbolDiff.growing(from: gilProfile, to: freeProfile, limit: 6))
    }
}
