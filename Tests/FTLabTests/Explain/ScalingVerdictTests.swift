import Testing
@testable import FTLabRunner
@testable import FTLabExplain

@Suite("explain: verdict rules")
struct ScalingVerdictTests {
    /// A configuration at 2 threads whose threads spend their time as given (shares of wall time).
    static func configuration(onCPU: Double, runnable: Double = 0, afterFinish: Double = 0, voluntaryPerSecond: Double = 1,
                              speedup: Double = 1, gil: Bool = false) -> ConfigurationExplanation {
        let window = 1_000_000_000
        let thread = ThreadTime(tid: 1, windowNanoseconds: window, onCPUNanoseconds: Int(onCPU * 1e9),
                                runnableNanoseconds: Int(runnable * 1e9), afterFinishNanoseconds: Int(afterFinish * 1e9),
                                ctxVoluntary: Int(voluntaryPerSecond))
        let baseline = ThreadAccounting(threads: [ThreadTime(tid: 9, windowNanoseconds: window, onCPUNanoseconds: window)],
                                        throughput: 100)
        return ConfigurationExplanation(
            interpreter: gil ? PinnedPair.gil : PinnedPair.freeThreaded, build: gil ? "gil" : "freethreaded", gilEnabled: gil,
            threads: 2, baselineThreads: 1, unit: "lines",
            target: ThreadAccounting(threads: [thread, thread], throughput: 100 * speedup), baseline: baseline)
    }

    static func finding(_ symbol: String, growth: Double, caller: String? = "dict_get in run (workload.py)") -> ContentionFinding {
        ContentionFinding(entry: ContentionSymbols.entry(for: symbol)!, symbol: symbol, baseShare: 0, targetShare: growth, caller: caller)
    }

    @Test("blocked with many futex calls: lock waits, with the growing contention point and where it happened")
    func lockWaits() {
        var c = Self.configuration(onCPU: 0.4)
        c.lockWaits = LockWaits(threads: Array(repeating: SyscallSummary(calls: 3000, errors: 0, totalMilliseconds: 500), count: 2),
                                seconds: 1)
        c.findings = [Self.finding("_PyCriticalSection_BeginSlow", growth: 0.31)]
        #expect(c.verdict == "lock waits: threads spend 60% of wall time blocked (3000 futex calls/s per thread); "
            + "+31% of samples in `_PyCriticalSection_BeginSlow` under dict_get in run (workload.py): "
            + ContentionSymbols.entry(for: "_PyCriticalSection_BeginSlow")!.cause)
    }

    @Test("without perf, voluntary context switches stand in for futex calls")
    func sleepsAsEvidence() {
        let c = Self.configuration(onCPU: 0.5, voluntaryPerSecond: 2000)
        #expect(c.verdict.hasPrefix("lock waits: threads spend 50% of wall time blocked (2000 sleeps/s per thread)"))
    }

    @Test("a lock contention point that grew a lot names lock waits even when threads are seldom blocked")
    func spinning() {
        var c = Self.configuration(onCPU: 0.9)
        c.findings = [Self.finding("_Py_yield", growth: 0.4, caller: nil)]
        #expect(c.verdict.hasPrefix("lock waits: lock code takes +40% of samples though threads are blocked only 10%"))
        c.findings = [Self.finding("_Py_yield", growth: 0.1, caller: nil)]
        #expect(!c.verdict.contains("lock waits"))
    }

    @Test("the GIL on at 2 threads: GIL waits")
    func gil() {
        #expect(Self.configuration(onCPU: 0.5, gil: true).verdict.hasPrefix("GIL waits: threads spend 50% of wall time blocked, taking turns on the GIL"))
    }

    @Test("blocked with no sign of locks, a CPU shortage, uneven threads")
    func otherWaits() {
        #expect(Self.configuration(onCPU: 0.5).verdict.hasPrefix("blocked: threads spend 50% of wall time blocked with no sign of lock waits"))
        let short = Self.configuration(onCPU: 0.6, runnable: 0.4).verdict
        #expect(short.hasPrefix("CPU shortage: threads wait 40% of wall time for a CPU"))
        #expect(!short.contains("lock waits"))
        #expect(Self.configuration(onCPU: 0.7, afterFinish: 0.3).verdict.hasPrefix("uneven threads: threads wait 30% of wall time for slower threads"))
        let both = Self.configuration(onCPU: 0.2, runnable: 0.3, voluntaryPerSecond: 500).verdict
        #expect(both.hasPrefix("lock waits:") && both.contains("; threads wait 30% of wall time for a CPU"))
    }

    @Test("on a CPU all the time: scales when the speedup keeps up, else the work got slower")
    func onCPU() {
        #expect(Self.configuration(onCPU: 1, speedup: 1.9).verdict == "scales: speedup 1.90x at 2 threads; threads on a CPU 100% of wall time")
        var slow = Self.configuration(onCPU: 1, speedup: 1.2)
        slow.growing = [SymbolGrowth(symbol: "_PyObject_MiMalloc", baseShare: 0.02, targetShare: 0.12,
                                     contention: ContentionSymbols.entry(for: "_PyObject_MiMalloc"))]
        #expect(slow.verdict == "slower per thread: threads stay on a CPU (100%) but speedup 1.20x at 2 threads: each thread's work got slower; "
            + "most growth in `_PyObject_MiMalloc` (+10% of samples)")
    }
}
